using System.Security.Cryptography;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// The opened store and the protector keyed from <c>data_dir/encryption.key</c>: the SQLite database in data_dir, or
/// (<c>[store] kind = "postgresql"</c>, see OtpStorage.Postgres.cs) the shared PostgreSQL database. The database
/// remembers an HMAC of the key (<c>store_meta.key_check</c>), so a missing or swapped key file is a clear error
/// instead of tokens that silently never match.
/// </summary>
public sealed partial class OtpStorage : IDisposable
{
    public const string DatabaseFileName = "radius-email-otp.db";

    private readonly IDisposable _owned;
    private readonly SqliteOtpStore? _sqlite;

    private OtpStorage(IOtpStore store, IDisposable owned, SqliteOtpStore? sqlite, TokenProtector protector, string databasePath, string keyPath, bool createdKey)
    {
        Store = store;
        _owned = owned;
        _sqlite = sqlite;
        CreatedKey = createdKey;
        Protector = protector;
        DatabasePath = databasePath;
        KeyPath = keyPath;
    }

    public IOtpStore Store { get; }

    public TokenProtector Protector { get; }

    /// <summary>The SQLite file, or the PostgreSQL database's redacted connection string (<c>Host=…;Database=…;Username=…</c>).</summary>
    public string DatabasePath { get; }

    public string KeyPath { get; }

    /// <summary>True when this open created a new encryption.key (a first start, or a data_dir that lost its key and its tokens).</summary>
    public bool CreatedKey { get; }

    internal SqliteOtpStore SqliteStore => _sqlite ?? throw new InvalidOperationException("not a SQLite store");

    /// <summary>Closes the store's open connections; the files stay as they are.</summary>
    public void Dispose() => _owned.Dispose();

    /// <summary>Creates the directory, database and key file when absent, and migrates the schema.</summary>
    public static Task<OtpStorage> OpenAsync(string dataDir, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        OpenAsync(dataDir, create: true, timeProvider, cancellationToken);

    /// <summary>
    /// Opens a data directory that already holds a database and its key file, creating nothing: a command run against
    /// a mistyped data_dir must fail, not leave a fresh database and a new key behind (behaviour.md §6).
    /// </summary>
    public static Task<OtpStorage> OpenExistingAsync(string dataDir, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        OpenAsync(dataDir, create: false, timeProvider, cancellationToken);

    private static async Task<OtpStorage> OpenAsync(string dataDir, bool create, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var databasePath = Path.Combine(dataDir, DatabaseFileName);
        var keyPath = Path.Combine(dataDir, EncryptionKeyFile.FileName);
        if (!create && !File.Exists(databasePath))
        {
            throw new StorageException($"no token database at {databasePath}; enroll a token first or check data_dir");
        }

        if (!create && !File.Exists(keyPath))
        {
            throw new StorageException(
                $"the key file {keyPath} is missing: the tokens in {databasePath} cannot be decrypted without it (restore it from a backup)");
        }

        try
        {
            OwnerOnlyDirectory.Create(dataDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot create the data directory {dataDir}: {ex.Message}", ex);
        }

        CreateOwnerOnlyFile(databasePath);
        var store = new SqliteOtpStore(databasePath, timeProvider);
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);

        try
        {
            var (protector, createdKey) = await OpenKeyAsync(store.GetMetaAsync, store.SetMetaAsync, keyPath, databasePath, cancellationToken).ConfigureAwait(false);
            return new OtpStorage(store, store, store, protector, databasePath, keyPath, createdKey);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads <paramref name="keyPath"/> and checks it against the database's <c>key_check</c>; creates the key (and the
    /// check) only when the database has none yet. A missing key next to a database that has a check, or a key of
    /// another database, is a <see cref="StorageException"/>.
    /// </summary>
    private static async Task<(TokenProtector Protector, bool CreatedKey)> OpenKeyAsync(
        Func<string, CancellationToken, Task<byte[]?>> getMeta,
        Func<string, byte[], CancellationToken, Task> setMeta,
        string keyPath,
        string databaseName,
        CancellationToken cancellationToken)
    {
        var check = await getMeta("key_check", cancellationToken).ConfigureAwait(false);
        byte[] key;
        var createdKey = false;
        if (File.Exists(keyPath))
        {
            key = EncryptionKeyFile.Read(keyPath);
        }
        else if (check is not null)
        {
            throw new StorageException(
                $"the key file {keyPath} is missing: the tokens in {databaseName} cannot be decrypted without it (restore it from a backup, or copy it from another node)");
        }
        else
        {
            key = EncryptionKeyFile.Create(keyPath);
            createdKey = true;
        }

        try
        {
            var expected = EncryptionKeyFile.CheckValue(key);
            if (check is null)
            {
                await setMeta("key_check", expected, cancellationToken).ConfigureAwait(false);
            }
            else if (!CryptographicOperations.FixedTimeEquals(check, expected))
            {
                throw new StorageException($"the key file {keyPath} does not belong to the database {databaseName}");
            }

            return (new TokenProtector(key), createdKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    // The database holds PIN hashes and encrypted seeds: like the key file, only the owner may read it. SQLite gives
    // its -wal and -shm files the database file's mode, so creating the empty file first (a valid empty database) is enough.
    private static void CreateOwnerOnlyFile(string path)
    {
        if (File.Exists(path) || OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            using var _ = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; it set the mode the same way.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot create the database {path}: {ex.Message}", ex);
        }
    }
}
