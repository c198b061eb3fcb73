using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// <see cref="IOtpStore"/> on SQLite (WAL, synchronous=FULL, busy timeout). Every write goes through the
/// <see cref="GroupCommitWriter"/> and returns only once the batch holding it is committed, so it survives SIGKILL and
/// power loss; reads run on their own connections and never wait for the writer. Times are Unix milliseconds.
/// This file holds the connection, schema and token methods; <c>SqliteOtpStore.Challenges.cs</c> the challenge ones.
/// </summary>
internal sealed partial class SqliteOtpStore : IOtpStore, IDisposable
{
    private readonly string _connectionString;
    private readonly PreparedConnectionPool _prepared;
    private readonly GroupCommitWriter _writer;
    private readonly TimeProvider _timeProvider;

    public SqliteOtpStore(string databasePath, TimeProvider timeProvider)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy database until the command timeout (no busy_timeout pragma needed).
            DefaultTimeout = 30,
            ForeignKeys = true,
        }.ToString();
        _prepared = new PreparedConnectionPool(_connectionString);
        _writer = new GroupCommitWriter(_connectionString);
        _timeProvider = timeProvider;
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            connection.CreateFunction("fold_user", (string user) => RealmResolver.NormaliseUser(user), isDeterministic: true);
            // WAL is a property of the file: set once, it stays for every later connection.
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;").ConfigureAwait(false);
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);").ConfigureAwait(false);
            foreach (var (version, sql) in SqliteMigrations.All)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var applied = await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM schema_version WHERE version = @version;", new { version }, transaction).ConfigureAwait(false);
                if (applied == 0)
                {
                    await connection.ExecuteAsync(sql, transaction: transaction).ConfigureAwait(false);
                    await connection.ExecuteAsync(
                        "INSERT INTO schema_version (version, applied_at) VALUES (@version, @now);", new { version, now = Now() }, transaction)
                        .ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            var newest = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) FROM schema_version;").ConfigureAwait(false);
            if (newest > SqliteMigrations.All[^1].Version)
            {
                throw new StorageException($"the database has schema version {newest}, newer than this program knows ({SqliteMigrations.All[^1].Version}); upgrade the program");
            }
        }
        catch (SqliteException ex)
        {
            throw new StorageException($"cannot open the token database: {ex.Message}", ex);
        }
    }

    public async Task<long> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) FROM schema_version;").ConfigureAwait(false);
    }

    public async Task<byte[]?> GetMetaAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<byte[]?>("SELECT value FROM store_meta WHERE key = @key;", new { key }).ConfigureAwait(false);
    }

    public Task SetMetaAsync(string key, byte[] value, CancellationToken cancellationToken) =>
        _writer.WriteAsync(c => c.Connection.Execute(
            "INSERT INTO store_meta (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value;",
            new { key, value }));

    public Task<bool> AddTokenAsync(EmailToken token, CancellationToken cancellationToken) =>
        _writer.WriteAsync(c =>
        {
            var command = c.Command(InsertTokenSql);
            BindToken(command, token);
            var added = command.ExecuteNonQuery() == 1;
            if (added)
            {
                RecordAudit(c, token.Serial);
            }

            return added;
        });

    public async Task<EmailToken?> GetTokenAsync(string serial, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(
            $"SELECT {TokenRow.Columns} FROM tokens WHERE serial = @serial;", new { serial }).ConfigureAwait(false);
        return row?.ToToken();
    }

    public async Task<IReadOnlyList<EmailToken>> ListTokensAsync(string? user, string? realm, CancellationToken cancellationToken)
    {
        if (user is not null && realm is not null)
        {
            // The engine's lookup, once per request: a prepared statement, and a plain equality so it uses ix_tokens_user
            // (the optional filters below leave the planner a table scan).
            return await WithPreparedAsync(
                async connection =>
                {
                    var command = connection.Command(SqliteStatements.TokensOfUser);
                    Bind(command, "@user", user);
                    Bind(command, "@realm", realm);
                    return await ReadAllAsync<TokenRow, EmailToken>(connection, command, r => r.ToToken(), cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<TokenRow>(
            $"""
            SELECT {TokenRow.Columns} FROM tokens
            WHERE (@user IS NULL OR user_name = @user) AND (@realm IS NULL OR realm = @realm)
            ORDER BY serial;
            """,
            new { user, realm }).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToToken())];
    }

    public Task<bool> SetActiveAsync(string serial, bool active, CancellationToken cancellationToken) =>
        UpdateTokenAsync("active = @active", serial, new { active = active ? 1 : 0 }, cancellationToken);

    public Task<bool> ResetFailCountAsync(string serial, CancellationToken cancellationToken) =>
        UpdateTokenAsync("failcount = 0, last_failure_at = NULL", serial, null, cancellationToken);

    public Task<bool> SetPinAsync(string serial, byte[] salt, byte[] hash, CancellationToken cancellationToken) =>
        UpdateTokenAsync("pin_salt = @salt, pin_hash = @hash", serial, new { salt, hash }, cancellationToken);

    public Task<bool> SetEmailAsync(string serial, string email, CancellationToken cancellationToken) =>
        UpdateTokenAsync("email = @email", serial, new { email }, cancellationToken);

    public Task<bool> DeleteTokenAsync(string serial, CancellationToken cancellationToken) =>
        _writer.WriteAsync(c =>
        {
            c.Connection.Execute("DELETE FROM challenges WHERE serial = @serial;", new { serial });
            var deleted = c.Connection.Execute("DELETE FROM tokens WHERE serial = @serial;", new { serial }) == 1;
            if (deleted)
            {
                RecordAudit(c, serial);
            }

            return deleted;
        });

    public Task IncrementFailCountAsync(IReadOnlyCollection<string> serials, CancellationToken cancellationToken)
    {
        if (serials.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Every rejected request runs this (the unknown user with a decoy serial, which matches no row, so it costs
        // the batch no page and no fsync).
        var now = Now();
        return _writer.WriteAsync(c =>
        {
            var command = c.Command(SqliteStatements.IncrementFailCount(serials.Count));
            BindList(command, serials);
            Bind(command, "@now", now);
            return command.ExecuteNonQuery();
        });
    }

    private Task<bool> UpdateTokenAsync(string assignments, string serial, object? values, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(values);
        parameters.Add("serial", serial);
        parameters.Add("now", Now());
        return _writer.WriteAsync(c =>
        {
            var updated = c.Connection.Execute($"UPDATE tokens SET {assignments}, updated_at = @now WHERE serial = @serial;", parameters) == 1;
            if (updated)
            {
                RecordAudit(c, serial);
            }

            return updated;
        });
    }

    private long Now() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    // Runs work on a pooled prepared connection. A connection whose statement failed is closed, not returned: its state
    // after an error is not worth reasoning about on a path that must stay correct.
    private async Task<T> WithPreparedAsync<T>(Func<PreparedConnection, Task<T>> work)
    {
        var connection = _prepared.Rent();
        T result;
        try
        {
            result = await work(connection).ConfigureAwait(false);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _prepared.Return(connection);
        return result;
    }

    private static async Task<IReadOnlyList<TResult>> ReadAllAsync<TRow, TResult>(
        PreparedConnection connection, SqliteCommand command, Func<TRow, TResult> convert, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<TResult>();
        Func<DbDataReader, TRow>? parse = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            parse ??= connection.RowParser<TRow>(command, reader);
            results.Add(convert(parse(reader)));
        }

        return results;
    }

    private static void BindList<T>(SqliteCommand command, IEnumerable<T> values)
    {
        var index = 0;
        foreach (var value in values)
        {
            Bind(command, SqliteStatements.ListParameter(index++), value);
        }
    }

    // Sets a parameter of a kept command, adding it on the command's first run.
    private static void Bind(SqliteCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        if (index < 0)
        {
            parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        else
        {
            parameters[index].Value = value ?? DBNull.Value;
        }
    }

    internal Task<SqliteConnection> OpenConnectionForTestsAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    internal GroupCommitWriter WriterForTests => _writer;

    /// <summary>Lets queued writes commit, then closes the long-lived connections of the request path.</summary>
    public void Dispose()
    {
        if (_audit is not null)
        {
            return; // an audited view shares the store's writer and pool; the store closes them
        }

        _writer.Dispose();
        _prepared.Dispose();
    }

    internal PreparedConnection RentPreparedConnectionForTests() => _prepared.Rent();

    internal void ReturnPreparedConnectionForTests(PreparedConnection connection) => _prepared.Return(connection);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            // No per-open pragmas on this hot path: the bundled SQLite defaults to synchronous=FULL in WAL mode
            // (SQLITE_DEFAULT_WAL_SYNCHRONOUS=2), so a committed counter advance or accept survives a crash, not
            // only a process kill; a store test holds that default in place.
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
