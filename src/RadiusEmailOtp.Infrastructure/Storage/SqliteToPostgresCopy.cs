using System.Data;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Storage.Postgres;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// <c>db copy</c>: every row of a SQLite deployment (tokens with their counters, failcounts and encrypted seeds, challenges,
/// the audit trail, the key check) into a migrated, empty PostgreSQL database, in one transaction. The seeds stay
/// encrypted with the SQLite deployment's <c>encryption.key</c>: that file must go to every node.
/// </summary>
public static class SqliteToPostgresCopy
{
    /// <summary>The node name of the copied challenges (no running node owns them: their deliveries are over).</summary>
    public const string CopiedNode = "db-copy";

    // Parents first (challenges reference tokens).
    private static readonly string[] s_tables = ["tokens", "challenges", "audit", "store_meta"];

    /// <summary>
    /// Copies <paramref name="dataDir"/>'s database into <paramref name="target"/>. The SQLite server must be stopped (its
    /// data-directory lock is taken, so the copy is of a database nobody changes); its key must open the database. Throws
    /// <see cref="DataDirLockedException"/>, <see cref="StorageException"/> (not migrated, not empty, a wrong key) or
    /// StoreUnavailableException.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, long>> CopyAsync(
        string dataDir, StoreSettings target, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        // Checked before the lock, which would create the directory: a mistyped DATA_DIR leaves nothing behind.
        if (!File.Exists(Path.Combine(dataDir, OtpStorage.DatabaseFileName)))
        {
            throw new StorageException($"no token database at {Path.Combine(dataDir, OtpStorage.DatabaseFileName)}; --from names the SQLite deployment's data_dir");
        }

        using var dataDirLock = DataDirLock.Acquire(dataDir);
        string databasePath;
        using (var source = await OtpStorage.OpenExistingAsync(dataDir, timeProvider, cancellationToken).ConfigureAwait(false))
        {
            // Migrated and its key checked by the open; deliveries left pending by the stopped server are over, as its next
            // start would say.
            await source.Store.MarkInterruptedDeliveriesAsync(cancellationToken).ConfigureAwait(false);
            databasePath = source.DatabasePath;
        }

        await using var store = OtpStorage.CreatePostgresStore(target, timeProvider);
        var version = await store.SchemaVersionAsync(cancellationToken).ConfigureAwait(false);
        var latest = PostgresMigrations.All[^1].Version;
        if (version != latest)
        {
            throw new StorageException(
                $"the target database {target.Connection!.Redacted} has schema version {version}, not {latest}: run radius-email-otp db migrate against it first");
        }

        await using var dataSource = new NpgsqlDataSourceBuilder(target.Connection!.ConnectionString).Build();
        await using var pg = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await pg.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Two copies at once: the second waits here, then finds the tables full.
        await Execute(pg, transaction, $"LOCK TABLE {string.Join(", ", s_tables)} IN EXCLUSIVE MODE;", cancellationToken).ConfigureAwait(false);
        var rows = await Scalar(pg, transaction, string.Join(" + ", s_tables.Select(t => $"(SELECT COUNT(*) FROM {t})")), cancellationToken).ConfigureAwait(false);
        if (rows != 0)
        {
            throw new StorageException($"the target database {target.Connection.Redacted} is not empty ({rows} rows in {string.Join(", ", s_tables)}): db copy fills a new database only");
        }

        await using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await sqlite.OpenAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in s_tables)
        {
            counts[table] = await CopyTableAsync(sqlite, pg, transaction, table, cancellationToken).ConfigureAwait(false);
        }

        foreach (var table in new[] { "challenges", "audit" })
        {
            // The ids were copied: the identity goes on after the largest.
            await Execute(pg, transaction, $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false);", cancellationToken)
                .ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return counts;
    }

    private static async Task<long> CopyTableAsync(SqliteConnection sqlite, NpgsqlConnection pg, NpgsqlTransaction transaction, string table, CancellationToken cancellationToken)
    {
        var target = new List<(string Name, string Type)>();
        await using (var columns = new NpgsqlCommand(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table ORDER BY ordinal_position;", pg, transaction))
        {
            columns.Parameters.AddWithValue("table", table);
            await using var reader = await columns.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                target.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        await using (var info = sqlite.CreateCommand())
        {
            info.CommandText = $"SELECT name FROM pragma_table_info('{table}');";
            await using var reader = await info.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                present.Add(reader.GetString(0));
            }
        }

        // A PostgreSQL column SQLite lacks can only be the challenge's node; anything else means the schemas drifted apart.
        var missing = target.Where(c => !present.Contains(c.Name)).Select(c => c.Name).ToList();
        if (missing.Any(name => !(table == "challenges" && name == "node")))
        {
            throw new StorageException($"the SQLite table {table} has no column {string.Join(", ", missing)}: the two schemas differ (this program's migrations are out of step)");
        }

        await using var insert = new NpgsqlCommand(
            $"INSERT INTO {table} ({string.Join(", ", target.Select(c => c.Name))}) VALUES ({string.Join(", ", target.Select((_, i) => $"@p{i}"))});", pg, transaction);
        for (var i = 0; i < target.Count; i++)
        {
            insert.Parameters.Add(new NpgsqlParameter($"p{i}", DbType(target[i].Type)));
        }

        await using var select = sqlite.CreateCommand();
        var read = target.Where(c => present.Contains(c.Name)).Select(c => c.Name).ToList();
        select.CommandText = $"SELECT {string.Join(", ", read)} FROM {table} ORDER BY rowid;";
        await using var rows = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        long count = 0;
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < target.Count; i++)
            {
                var (name, type) = target[i];
                insert.Parameters[i].Value = present.Contains(name) ? Convert(rows.GetValue(read.IndexOf(name)), type) : CopiedNode;
            }

            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            count++;
        }

        return count;
    }

    private static NpgsqlDbType DbType(string type) => type switch
    {
        "boolean" => NpgsqlDbType.Boolean,
        "bigint" => NpgsqlDbType.Bigint,
        "integer" => NpgsqlDbType.Integer,
        "bytea" => NpgsqlDbType.Bytea,
        _ => NpgsqlDbType.Text,
    };

    private static object Convert(object value, string type) => value is DBNull ? DBNull.Value : type switch
    {
        "boolean" => System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) != 0,
        "bigint" => System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        "integer" => System.Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
        "bytea" => (byte[])value,
        _ => System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> Scalar(NpgsqlConnection connection, NpgsqlTransaction transaction, string expression, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {expression};", connection, transaction);
        return System.Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
