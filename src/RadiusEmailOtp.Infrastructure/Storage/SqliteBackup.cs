using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// An online copy of a data directory's token database and its key (<c>backup --to FILE</c>), safe while the server
/// writes. A plain copy of the file is not: in WAL mode recent commits live in <c>-wal</c>, so the <c>.db</c> alone can
/// be an empty or old database.
/// </summary>
/// <remarks>
/// Consistency: one connection opens a read transaction, counts the tokens and reads the key check, then runs SQLite's
/// online backup (<c>sqlite3_backup_step(-1)</c>, all pages in one step) on that same connection. The backup uses the
/// read transaction already open, so the count and the copy see one snapshot of the WAL; writers go on meanwhile (in
/// WAL mode a reader blocks no writer, and the checkpointer leaves the frames a reader still needs). The copy is then
/// reopened on its own and must pass <c>integrity_check</c>, hold exactly that many tokens and match the key.
/// </remarks>
public static class SqliteBackup
{
    /// <summary>
    /// Copies <c>data_dir</c>'s database to <paramref name="target"/> and its key to <c>target.key</c> (both 0600), through
    /// temp files renamed into place once verified. An existing target is replaced only when <paramref name="overwrite"/>.
    /// </summary>
    public static BackupResult Backup(string dataDir, string target, bool overwrite)
    {
        var database = Path.Combine(dataDir, OtpStorage.DatabaseFileName);
        var keyFile = Path.Combine(dataDir, EncryptionKeyFile.FileName);
        if (!File.Exists(database))
        {
            throw new StorageException($"no token database at {database}; check data_dir");
        }

        if (!File.Exists(keyFile))
        {
            throw new StorageException($"the key file {keyFile} is missing: a backup without it could never be decrypted");
        }

        target = Path.GetFullPath(target);
        var targetKey = target + ".key";
        if (!overwrite && (File.Exists(target) || File.Exists(targetKey)))
        {
            throw new StorageException($"{(File.Exists(target) ? target : targetKey)} already exists (--force replaces it)");
        }

        var key = EncryptionKeyFile.Read(keyFile);
        var suffix = ".tmp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var tempDatabase = target + suffix;
        var tempKey = targetKey + suffix;
        try
        {
            OwnerOnlyFile.CreateEmpty(tempDatabase);
            var (tokens, check) = CopySnapshot(database, tempDatabase);
            if (check is null || !CryptographicOperations.FixedTimeEquals(check, EncryptionKeyFile.CheckValue(key)))
            {
                throw new StorageException($"the key file {keyFile} does not belong to the database {database}; nothing backed up");
            }

            Verify(tempDatabase, tokens, check);
            OwnerOnlyFile.Write(tempKey, key);
            OwnerOnlyFile.Sync(tempDatabase);
            File.Move(tempKey, targetKey, overwrite);
            File.Move(tempDatabase, target, overwrite);
            return new BackupResult(target, targetKey, tokens);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot write the backup {target}: {ex.Message}", ex);
        }
        catch (SqliteException ex)
        {
            throw new StorageException($"cannot copy the token database {database}: {ex.Message}", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            OwnerOnlyFile.DeleteAll(tempDatabase, tempKey, tempDatabase + "-journal");
        }
    }

    /// <summary>Opens an unpooled connection (closing it really closes the file, so no -wal or -shm stays behind).</summary>
    internal static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Fails unless the database at <paramref name="path"/> passes SQLite's integrity check.</summary>
    internal static void CheckIntegrity(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var result = command.ExecuteScalar() as string;
        if (result != "ok")
        {
            throw new StorageException($"{path} is damaged (integrity_check: {result ?? "no answer"})");
        }
    }

    internal static long CountTokens(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM tokens;";
        return (long)command.ExecuteScalar()!;
    }

    internal static byte[]? ReadKeyCheck(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM store_meta WHERE key = 'key_check';";
        return command.ExecuteScalar() as byte[];
    }

    // The count, the key check and the pages, all from one read transaction (see the remarks above).
    private static (long Tokens, byte[]? Check) CopySnapshot(string database, string copy)
    {
        using var source = Open(database, SqliteOpenMode.ReadWrite);
        using var destination = Open(copy, SqliteOpenMode.ReadWrite);
        using var transaction = source.BeginTransaction(deferred: true);
        var tokens = CountTokens(source, transaction);
        var check = ReadKeyCheck(source, transaction);
        source.BackupDatabase(destination);
        transaction.Rollback();

        // The copy inherits WAL mode from the source's header; as a rollback-journal database it is one self-contained
        // file that opens read-only anywhere (the server turns WAL back on when it opens a restored copy).
        using var command = destination.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = DELETE;";
        command.ExecuteNonQuery();
        return (tokens, check);
    }

    private static void Verify(string copy, long tokens, byte[] check)
    {
        using var connection = Open(copy, SqliteOpenMode.ReadOnly);
        CheckIntegrity(connection, copy);
        var copied = CountTokens(connection);
        if (copied != tokens)
        {
            throw new StorageException($"the copy holds {copied} tokens, the database had {tokens} when it was taken; nothing backed up");
        }

        if (ReadKeyCheck(connection) is not { } copiedCheck || !CryptographicOperations.FixedTimeEquals(copiedCheck, check))
        {
            throw new StorageException("the copy's key check differs from the database's; nothing backed up");
        }
    }
}
