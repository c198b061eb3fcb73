using Dapper;
using Npgsql;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Storage.Postgres;

/// <summary>
/// <see cref="IOtpStore"/> on a PostgreSQL database shared by several nodes (RADIUS servers). It behaves as
/// <see cref="SqliteOtpStore"/> does, and holds across nodes: every decision two nodes could race on (the counter
/// advance with the blocking window and the mail limit, the single-use answer, the failcount, one auto-enrolled token
/// per user) is one conditional statement or a unique index, never a lock held across a mail. Each call takes a pooled
/// connection of the data source for one statement or one short transaction. Times are Unix milliseconds.
/// </summary>
/// <remarks>
/// No writer queue as on SQLite (<see cref="GroupCommitWriter"/>): SQLite has one writer per file, so batching the
/// writes into one transaction and one fsync is what lets concurrent logins share a commit. PostgreSQL runs each
/// backend's transaction on its own and already batches their commits into shared WAL flushes (a flush writes every
/// commit record queued by then; <c>commit_delay</c>/<c>commit_siblings</c> widen the batch), so concurrent requests
/// on different connections share fsyncs without our help, and a queue would only serialise them behind one connection.
/// The store owns the data source: disposing the store disposes it.
/// </remarks>
public sealed partial class PostgresOtpStore : IOtpStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _timeProvider;
    private readonly string _endpoint;

    public PostgresOtpStore(NpgsqlDataSource dataSource, string node, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        _dataSource = dataSource;
        Node = node;
        _timeProvider = timeProvider;
        _endpoint = Endpoint(dataSource);
    }

    /// <summary>This node's name, stored with the challenges it creates.</summary>
    public string Node { get; }

    /// <summary>
    /// Applies the migrations this database lacks, under a session advisory lock (a node that starts while another
    /// migrates waits, then finds nothing to do). A database newer than this program is a <see cref="StorageException"/>.
    /// </summary>
    public Task MigrateAsync(CancellationToken cancellationToken) =>
        RunAsync<int>("cannot migrate the token database", Retry.Once, async (connection, ct) =>
        {
            await connection.ExecuteAsync(Command("SELECT pg_advisory_lock(@key);", new { key = PostgresMigrations.MigrationLock }, ct: ct)).ConfigureAwait(false);
            try
            {
                await connection.ExecuteAsync(Command(
                    "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL);", ct: ct)).ConfigureAwait(false);
                var newest = await NewestVersionAsync(connection, ct).ConfigureAwait(false);
                var known = PostgresMigrations.All[^1].Version;
                if (newest > known)
                {
                    throw new StorageException($"the database has schema version {newest}, newer than this program knows ({known}); upgrade the program");
                }

                foreach (var (version, sql) in PostgresMigrations.All.Where(m => m.Version > newest))
                {
                    await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                    await connection.ExecuteAsync(Command(sql, transaction: transaction, ct: ct)).ConfigureAwait(false);
                    await connection.ExecuteAsync(Command(
                        "INSERT INTO schema_version (version, applied_at) VALUES (@version, @now);", new { version = (long)version, now = Now() }, transaction, ct))
                        .ConfigureAwait(false);
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                }
            }
            finally
            {
                // Pooled connections keep session locks: let go of it before the connection goes back.
                if (connection.FullState == System.Data.ConnectionState.Open)
                {
                    await connection.ExecuteAsync(Command("SELECT pg_advisory_unlock(@key);", new { key = PostgresMigrations.MigrationLock }, ct: CancellationToken.None))
                        .ConfigureAwait(false);
                }
            }

            return 0;
        }, cancellationToken);

    public Task<long> SchemaVersionAsync(CancellationToken cancellationToken) =>
        RunAsync("cannot read the schema version", Retry.Once, async (connection, ct) =>
        {
            var exists = await connection.ExecuteScalarAsync<bool>(Command("SELECT to_regclass('schema_version') IS NOT NULL;", ct: ct)).ConfigureAwait(false);
            return exists ? await NewestVersionAsync(connection, ct).ConfigureAwait(false) : 0;
        }, cancellationToken);

    public Task<byte[]?> GetMetaAsync(string key, CancellationToken cancellationToken) =>
        RunAsync("cannot read the store's metadata", Retry.Once, (connection, ct) =>
            connection.QuerySingleOrDefaultAsync<byte[]?>(Command("SELECT value FROM store_meta WHERE key = @key;", new { key }, ct: ct)), cancellationToken);

    public Task SetMetaAsync(string key, byte[] value, CancellationToken cancellationToken) =>
        RunAsync("cannot write the store's metadata", Retry.Once, (connection, ct) =>
            connection.ExecuteAsync(Command(PostgresStatements.UpsertMeta, new { key, value }, ct: ct)), cancellationToken);

    public Task<bool> AddTokenAsync(EmailToken token, CancellationToken cancellationToken) =>
        InTransactionAsync("cannot add the token", Retry.Never, async (connection, transaction, ct) =>
        {
            var added = await connection.ExecuteAsync(Command(PostgresStatements.InsertToken, TokenParameters(token), transaction, ct)).ConfigureAwait(false) == 1;
            if (added)
            {
                await RecordAuditAsync(connection, transaction, token.Serial, ct).ConfigureAwait(false);
            }

            return (added, added);
        }, cancellationToken);

    public Task<EmailToken?> GetTokenAsync(string serial, CancellationToken cancellationToken) =>
        RunAsync("cannot read the token", Retry.Once, async (connection, ct) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(Command(PostgresStatements.TokenBySerial, new { serial }, ct: ct)).ConfigureAwait(false);
            return row?.ToToken();
        }, cancellationToken);

    public Task<IReadOnlyList<EmailToken>> ListTokensAsync(string? user, string? realm, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<EmailToken>>("cannot read the tokens", Retry.Once, async (connection, ct) =>
        {
            // The engine's lookup, once per request, is a plain equality on ix_tokens_user.
            var rows = user is not null && realm is not null
                ? await connection.QueryAsync<TokenRow>(Command(PostgresStatements.TokensOfUser, new { user, realm }, ct: ct)).ConfigureAwait(false)
                : await connection.QueryAsync<TokenRow>(Command(PostgresStatements.Tokens, new { user, realm }, ct: ct)).ConfigureAwait(false);
            return [.. rows.Select(r => r.ToToken())];
        }, cancellationToken);

    public Task<bool> SetActiveAsync(string serial, bool active, CancellationToken cancellationToken) =>
        UpdateTokenAsync("active = @active", serial, new { active }, cancellationToken);

    public Task<bool> ResetFailCountAsync(string serial, CancellationToken cancellationToken) =>
        UpdateTokenAsync("failcount = 0, last_failure_at = NULL", serial, null, cancellationToken);

    public Task<bool> SetPinAsync(string serial, byte[] salt, byte[] hash, CancellationToken cancellationToken) =>
        UpdateTokenAsync("pin_salt = @salt, pin_hash = @hash", serial, new { salt, hash }, cancellationToken);

    public Task<bool> SetEmailAsync(string serial, string email, CancellationToken cancellationToken) =>
        UpdateTokenAsync("email = @email", serial, new { email }, cancellationToken);

    public Task<bool> DeleteTokenAsync(string serial, CancellationToken cancellationToken) =>
        InTransactionAsync("cannot delete the token", Retry.Never, async (connection, transaction, ct) =>
        {
            await connection.ExecuteAsync(Command("DELETE FROM challenges WHERE serial = @serial;", new { serial }, transaction, ct)).ConfigureAwait(false);
            var deleted = await connection.ExecuteAsync(Command("DELETE FROM tokens WHERE serial = @serial;", new { serial }, transaction, ct)).ConfigureAwait(false) == 1;
            if (deleted)
            {
                await RecordAuditAsync(connection, transaction, serial, ct).ConfigureAwait(false);
            }

            return (deleted, deleted);
        }, cancellationToken);

    public Task IncrementFailCountAsync(IReadOnlyCollection<string> serials, CancellationToken cancellationToken)
    {
        if (serials.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Not retried: a relative increment run twice would count one failure twice.
        var now = Now();
        return RunAsync("cannot count the failure", Retry.Never, (connection, ct) =>
            connection.ExecuteAsync(Command(PostgresStatements.IncrementFailCount, new { serials = serials.ToArray(), now }, ct: ct)), cancellationToken);
    }

    public ValueTask DisposeAsync() => _audit is null ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    public void Dispose()
    {
        if (_audit is null)
        {
            _dataSource.Dispose();
        }
    }

    private Task<bool> UpdateTokenAsync(string assignments, string serial, object? values, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(values);
        parameters.Add("serial", serial);
        parameters.Add("now", Now());
        return InTransactionAsync("cannot change the token", Retry.Never, async (connection, transaction, ct) =>
        {
            var updated = await connection.ExecuteAsync(Command(
                $"UPDATE tokens SET {assignments}, updated_at = @now WHERE serial = @serial;", parameters, transaction, ct)).ConfigureAwait(false) == 1;
            if (updated)
            {
                await RecordAuditAsync(connection, transaction, serial, ct).ConfigureAwait(false);
            }

            return (updated, updated);
        }, cancellationToken);
    }

    private static Task<long> NewestVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(Command("SELECT COALESCE(MAX(version), 0) FROM schema_version;", ct: cancellationToken));

    private static object TokenParameters(EmailToken token) => new
    {
        token.Serial,
        token.User,
        token.Realm,
        token.Email,
        token.PinSalt,
        token.PinHash,
        token.SeedNonce,
        token.SeedCiphertext,
        Hash = OtpHashAlgorithmNames.ToName(token.Hash),
        OtpLength = (long)token.OtpLength,
        token.Counter,
        FailCount = (long)token.FailCount,
        MaxFail = (long)token.MaxFail,
        token.Active,
        token.Description,
        Created = token.Created.ToUnixTimeMilliseconds(),
        Updated = token.Updated.ToUnixTimeMilliseconds(),
        token.Resolver,
        Origin = token.AutoEnrolled ? EmailToken.AutoEnrollOrigin : EmailToken.AdminOrigin,
    };

    private static CommandDefinition Command(string sql, object? parameters = null, NpgsqlTransaction? transaction = null, CancellationToken ct = default) =>
        new(sql, parameters, transaction, cancellationToken: ct);

    private long Now() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
}
