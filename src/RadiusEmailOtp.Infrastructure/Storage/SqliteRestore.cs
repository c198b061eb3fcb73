using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// Puts a backup (<c>FILE</c> and <c>FILE.key</c>) into a data directory (<c>restore --from FILE</c>), holding the
/// directory's lock all the while so no server starts on a half-restored directory.
/// </summary>
/// <remarks>
/// The copy is staged in <c>data_dir/.restore-*</c> (same file system, so the final renames are atomic) and checked
/// there before anything of the old directory is touched: integrity_check, the schema migrated as the server would,
/// the key matching the database and every token's seed decrypting; the counters then jump (<see cref="CounterSkip"/>).
/// Then the old database's <c>-wal</c>, <c>-shm</c>
/// and <c>-journal</c> are removed (left beside the new file, SQLite would replay them into it), and the key and the
/// database are renamed into place. Between the two renames a crash leaves a key that does not match the database,
/// which the server refuses to start with; running the restore again finishes it.
/// </remarks>
public static class SqliteRestore
{
    private const string StagingPrefix = ".restore-";

    /// <summary>
    /// How far every token's HOTP counter moves on restore. The copy's counters are older than the ones in use when it
    /// was replaced, and the same seed at the same counter gives the same OTP: without the jump, codes mailed after
    /// the backup would be mailed again. An e-mail token's counter means nothing outside the server (no device keeps
    /// one), so jumping costs nothing; ten million is more challenges than a token gets in decades.
    /// </summary>
    public const long CounterSkip = 10_000_000;

    /// <summary>Restores <paramref name="source"/> into <paramref name="dataDir"/>; returns how many tokens it holds.</summary>
    public static async Task<long> RestoreAsync(
        string source, string dataDir, bool overwrite, AuditEntry audit, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        source = Path.GetFullPath(source);
        var sourceKey = source + ".key";
        if (!File.Exists(source))
        {
            throw new StorageException($"no backup at {source}");
        }

        if (!File.Exists(sourceKey))
        {
            throw new StorageException($"the key file {sourceKey} is missing: a backup is restored with the key taken beside it");
        }

        if (File.Exists(source + "-wal"))
        {
            throw new StorageException(
                $"{source}-wal exists: {source} is a live database or a copy of one taken while it was written; make a copy with the backup command");
        }

        // A new machine's data_dir: created private, as it holds the key.
        if (!Directory.Exists(dataDir) && !OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var dataDirLock = DataDirLock.Acquire(dataDir);
        var database = Path.Combine(dataDir, OtpStorage.DatabaseFileName);
        var keyFile = Path.Combine(dataDir, EncryptionKeyFile.FileName);
        if (!overwrite && (File.Exists(database) || File.Exists(keyFile)))
        {
            throw new StorageException(
                $"{(File.Exists(database) ? database : keyFile)} already exists; --force replaces it (back it up first if it may still be needed)");
        }

        RemoveStaleStaging(dataDir);
        var staging = Path.Combine(dataDir, StagingPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(staging);
            }
            else
            {
                Directory.CreateDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var stagedDatabase = Path.Combine(staging, OtpStorage.DatabaseFileName);
            var stagedKey = Path.Combine(staging, EncryptionKeyFile.FileName);
            OwnerOnlyFile.Copy(source, stagedDatabase);
            var key = EncryptionKeyFile.Read(sourceKey);
            try
            {
                CheckCopy(stagedDatabase, source, sourceKey, key);
                OwnerOnlyFile.Write(stagedKey, key);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }

            var tokens = await CheckAndRecordAsync(staging, source, audit, timeProvider, cancellationToken).ConfigureAwait(false);
            Finish(stagedDatabase);
            RemoveJournals(database);
            File.Move(stagedKey, keyFile, overwrite: true);
            File.Move(stagedDatabase, database, overwrite: true);
            return tokens;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot restore {source} into {dataDir}: {ex.Message}", ex);
        }
        catch (SqliteException ex)
        {
            throw new StorageException($"{source} is not a usable token database: {ex.Message}", ex);
        }
        finally
        {
            TryDeleteDirectory(staging);
        }
    }

    // Before the copy is migrated (which would turn any empty SQLite file into a token database): it must be whole, be a
    // token database (one that has recorded its key's check value) and belong to this key.
    private static void CheckCopy(string stagedDatabase, string source, string sourceKey, byte[] key)
    {
        using var connection = SqliteBackup.Open(stagedDatabase, SqliteOpenMode.ReadWrite);
        SqliteBackup.CheckIntegrity(connection, source);
        byte[]? check;
        try
        {
            check = SqliteBackup.ReadKeyCheck(connection);
        }
        catch (SqliteException)
        {
            check = null;
        }

        if (check is null)
        {
            throw new StorageException($"{source} is not a radius-email-otp token database; nothing restored");
        }

        if (!CryptographicOperations.FixedTimeEquals(check, EncryptionKeyFile.CheckValue(key)))
        {
            throw new StorageException($"the key file {sourceKey} does not belong to {source}; nothing restored");
        }
    }

    // Opens the staged copy as the server would (schema migrated, key matched again), decrypts every seed and adds the
    // restore's audit record, so the record is in the restored database exactly when the restore happened.
    private static async Task<long> CheckAndRecordAsync(
        string staging, string source, AuditEntry audit, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var storage = await OtpStorage.OpenExistingAsync(staging, timeProvider, cancellationToken).ConfigureAwait(false);
        try
        {
            var tokens = await storage.Store.ListTokensAsync(null, null, cancellationToken).ConfigureAwait(false);
            foreach (var token in tokens)
            {
                if (!storage.Protector.TryOpenSeed(token, out var seed))
                {
                    throw new StorageException($"the seed of token {token.Serial} in {source} does not decrypt with {source}.key; nothing restored");
                }

                CryptographicOperations.ZeroMemory(seed);
            }

            await storage.Store.AppendAuditAsync(audit with { Detail = AuditDetail.Join(audit.Detail, $"from={source} tokens={tokens.Count}") }, cancellationToken)
                .ConfigureAwait(false);
            return tokens.Count;
        }
        finally
        {
            // Disposing hands the store's read connections back to the pool; they must really close before Finish.
            storage.Dispose();
            storage.SqliteStore.ClosePooledConnections();
        }
    }

    // Moves the counters past any used since the backup, then makes the copy one self-contained file again: checkpoint
    // its WAL into it and leave WAL mode, so nothing but the .db has to be renamed. Leaving WAL mode needs every other
    // connection to the copy closed (the store's pool was cleared).
    private static void Finish(string stagedDatabase)
    {
        using var connection = SqliteBackup.Open(stagedDatabase, SqliteOpenMode.ReadWrite);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE tokens SET counter = counter + $skip;";
        command.Parameters.AddWithValue("$skip", CounterSkip);
        command.ExecuteNonQuery();
        command.Parameters.Clear();
        command.CommandText = "PRAGMA journal_mode = DELETE;";
        var mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "delete", StringComparison.OrdinalIgnoreCase))
        {
            throw new StorageException($"the staged copy stayed in {mode} mode; nothing restored");
        }
    }

    // Left beside the new file, the old database's WAL or journal would be replayed into it: they must be gone.
    private static void RemoveJournals(string database)
    {
        string[] journals = [database + "-wal", database + "-shm", database + "-journal"];
        foreach (var journal in journals)
        {
            File.Delete(journal);
        }
    }

    // A restore that crashed leaves its staging directory; the lock is held, so none of them is in use.
    private static void RemoveStaleStaging(string dataDir)
    {
        foreach (var directory in Directory.EnumerateDirectories(dataDir, StagingPrefix + "*"))
        {
            TryDeleteDirectory(directory);
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Removed by the next restore.
        }
    }
}
