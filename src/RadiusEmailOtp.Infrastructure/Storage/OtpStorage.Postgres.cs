using System.Security.Cryptography;
using Npgsql;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Storage.Postgres;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// Opening the configured store: SQLite in data_dir, or PostgreSQL (the key file stays in data_dir, the same file on
/// every node; the database keeps its check). With PostgreSQL unreachable, <c>serve</c> opens a pending storage
/// (<see cref="OpenPending"/>) whose store rejects every call until <see cref="CompletePendingAsync"/> succeeds.
/// </summary>
public sealed partial class OtpStorage
{
    private PostgresOtpStore? _postgres;
    private GatedOtpStore? _gate;
    private byte[]? _pendingCheck;

    /// <summary>True while a storage opened by <see cref="OpenPending"/> has not reached its database yet.</summary>
    public bool IsPending => _gate is { IsOpen: false };

    /// <summary>
    /// Opens the store <paramref name="settings"/> name. <paramref name="create"/>: may create the data directory, the
    /// SQLite database and the key file (a key only when the database has no key check yet); without it a missing one
    /// is a <see cref="StorageException"/>. An unreachable PostgreSQL is a <see cref="StoreUnavailableException"/>.
    /// </summary>
    public static Task<OtpStorage> OpenAsync(StoreSettings settings, string dataDir, bool create, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        settings.Kind == StoreKind.Sqlite
            ? OpenAsync(dataDir, create, timeProvider, cancellationToken)
            : OpenPostgresAsync(settings, dataDir, create, timeProvider, cancellationToken);

    /// <summary>
    /// A PostgreSQL storage for a database that cannot be reached now (<paramref name="reason"/>): the key file must be
    /// there already (whether the database holds a key cannot be asked), the store rejects every call until
    /// <see cref="CompletePendingAsync"/> migrated it and checked the key.
    /// </summary>
    public static OtpStorage OpenPending(StoreSettings settings, string dataDir, TimeProvider timeProvider, string reason)
    {
        var keyPath = Path.Combine(dataDir, EncryptionKeyFile.FileName);
        if (!File.Exists(keyPath))
        {
            throw new StorageException(
                $"the database cannot be reached ({reason}) and {keyPath} does not exist: start this node once with the database up, or copy encryption.key from another node first");
        }

        var key = EncryptionKeyFile.Read(keyPath);
        try
        {
            var store = CreatePostgresStore(settings, timeProvider);
            var gate = new GatedOtpStore(store, reason);
            return new OtpStorage(gate, store, null, new TokenProtector(key), settings.Connection!.Redacted, keyPath, createdKey: false)
            {
                _postgres = store,
                _gate = gate,
                _pendingCheck = EncryptionKeyFile.CheckValue(key),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// For a pending storage: migrates the database, checks (or, on a database that has none, records) the key, and lets
    /// calls through; first it marks the deliveries this node left pending before it stopped interrupted (returns how many:
    /// none of this process can be running yet, as the gate was closed). Throws <see cref="StoreUnavailableException"/> while the database is still down, and
    /// <see cref="StorageException"/> when it does not fit (a newer schema, the key of another database).
    /// </summary>
    public async Task<int> CompletePendingAsync(CancellationToken cancellationToken)
    {
        if (_gate is null || _postgres is null || _pendingCheck is null || _gate.IsOpen)
        {
            return 0;
        }

        int interrupted;
        try
        {
            await _postgres.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var check = await _postgres.GetMetaAsync("key_check", cancellationToken).ConfigureAwait(false);
            if (check is null)
            {
                await _postgres.SetMetaAsync("key_check", _pendingCheck, cancellationToken).ConfigureAwait(false);
            }
            else if (!CryptographicOperations.FixedTimeEquals(check, _pendingCheck))
            {
                throw new StorageException($"the key file {KeyPath} does not belong to the database {DatabasePath}");
            }

            interrupted = await _postgres.MarkInterruptedDeliveriesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex)
        {
            _gate.SetClosedReason(ex.Message);
            throw;
        }
        catch (StorageException ex)
        {
            _gate.SetClosedReason(ex.Message);
            throw;
        }

        _gate.Open();
        return interrupted;
    }

    private static async Task<OtpStorage> OpenPostgresAsync(
        StoreSettings settings, string dataDir, bool create, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var keyPath = Path.Combine(dataDir, EncryptionKeyFile.FileName);
        var name = settings.Connection!.Redacted;
        if (create)
        {
            try
            {
                OwnerOnlyDirectory.Create(dataDir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new StorageException($"cannot create the data directory {dataDir}: {ex.Message}", ex);
            }
        }
        else if (!File.Exists(keyPath))
        {
            throw new StorageException(
                $"the key file {keyPath} is missing: the tokens in {name} cannot be decrypted without it (copy it from another node, or start serve once)");
        }

        var store = CreatePostgresStore(settings, timeProvider);
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var (protector, createdKey) = await OpenKeyAsync(store.GetMetaAsync, store.SetMetaAsync, keyPath, name, cancellationToken).ConfigureAwait(false);
            return new OtpStorage(store, store, null, protector, name, keyPath, createdKey);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <c>db migrate</c>: applies the migrations the configured store lacks (no key needed) and returns the database's name
    /// (the SQLite file, or the redacted connection string) and its schema version. A SQLite data_dir without a database is
    /// a <see cref="StorageException"/>: serve creates it.
    /// </summary>
    public static async Task<(string Database, long Version)> MigrateAsync(
        StoreSettings settings, string dataDir, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (settings.Kind == StoreKind.Sqlite)
        {
            var path = Path.Combine(dataDir, DatabaseFileName);
            if (!File.Exists(path))
            {
                throw new StorageException($"no token database at {path}; serve creates and migrates it at start");
            }

            using var sqlite = new SqliteOtpStore(path, timeProvider);
            await sqlite.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return (path, await sqlite.SchemaVersionAsync(cancellationToken).ConfigureAwait(false));
        }

        await using var store = CreatePostgresStore(settings, timeProvider);
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return (settings.Connection!.Redacted, await store.SchemaVersionAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A store on its own data source; the store owns (and disposes) the data source.</summary>
    public static PostgresOtpStore CreatePostgresStore(StoreSettings settings, TimeProvider timeProvider)
    {
        var builder = new NpgsqlDataSourceBuilder(settings.Connection!.ConnectionString);
        // pg_stat_activity then says which node a connection belongs to.
        builder.ConnectionStringBuilder.ApplicationName ??= $"radius-email-otp/{settings.Node}";
        return new PostgresOtpStore(builder.Build(), settings.Node, timeProvider);
    }
}
