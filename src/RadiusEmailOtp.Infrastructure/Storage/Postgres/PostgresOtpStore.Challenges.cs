using Dapper;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Infrastructure.Storage.Postgres;

/// <summary>The challenge half of the store.</summary>
public sealed partial class PostgresOtpStore
{
    private const string InterruptedError = "the server stopped before a provider answered";

    /// <summary>
    /// The counter advance, the guard and the insert in one statement (see <see cref="PostgresStatements.CreateChallenge"/>).
    /// Retried once after a dropped connection: if the first run committed before the connection dropped, the second
    /// finds that challenge (same serial, counter and State) and returns it, so its mail still goes out.
    /// </summary>
    public async Task<OtpChallenge?> TryCreateChallengeAsync(OtpChallenge challenge, ChallengeGuard guard, CancellationToken cancellationToken)
    {
        var parameters = new
        {
            serial = challenge.Serial,
            counter = challenge.Counter,
            now = Now(),
            state = challenge.State,
            user = challenge.User,
            realm = challenge.Realm,
            client = challenge.Client,
            node = Node,
            created = challenge.Created.ToUnixTimeMilliseconds(),
            expires = challenge.Expires.ToUnixTimeMilliseconds(),
            blockedSince = guard.BlockedSince.ToUnixTimeMilliseconds(),
            blockedClient = guard.BlockedClient,
            mailSince = guard.MailWindowSince.ToUnixTimeMilliseconds(),
            maxMails = (long)guard.MaxMails,
        };
        var id = await RunAsync("cannot start the challenge", Retry.Once, (connection, ct) =>
            connection.QuerySingleOrDefaultAsync<long?>(Command(PostgresStatements.CreateChallenge, parameters, ct: ct)), cancellationToken).ConfigureAwait(false);
        return id is { } stored
            ? challenge with { Id = stored, Status = ChallengeStatus.Open, Attempts = 0, Delivery = DeliveryStatus.Pending }
            : null;
    }

    public Task<IReadOnlyList<OtpChallenge>> GetChallengesByStateAsync(string state, CancellationToken cancellationToken) =>
        QueryChallengesAsync(PostgresStatements.ChallengesOfState, new { state }, cancellationToken);

    public Task<IReadOnlyList<OtpChallenge>> GetOpenChallengesAsync(IReadOnlyCollection<string> serials, DateTimeOffset now, CancellationToken cancellationToken) =>
        serials.Count == 0
            ? Task.FromResult<IReadOnlyList<OtpChallenge>>([])
            : QueryChallengesAsync(PostgresStatements.OpenChallengesOfTokens, new { serials = serials.ToArray(), now = now.ToUnixTimeMilliseconds() }, cancellationToken);

    public Task<IReadOnlyList<OtpChallenge>> GetAnsweredChallengesAsync(IReadOnlyCollection<string> serials, DateTimeOffset now, CancellationToken cancellationToken) =>
        serials.Count == 0
            ? Task.FromResult<IReadOnlyList<OtpChallenge>>([])
            : QueryChallengesAsync(PostgresStatements.AnsweredChallengesOfTokens, new { serials = serials.ToArray(), now = now.ToUnixTimeMilliseconds() }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, int>> CountMailsSinceAsync(IReadOnlyCollection<string> serials, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (serials.Count == 0)
        {
            return new Dictionary<string, int>();
        }

        var rows = await RunAsync("cannot count the mails", Retry.Once, (connection, ct) =>
            connection.QueryAsync<(string Serial, int Mails)>(Command(
                PostgresStatements.MailsOfTokensSince, new { serials = serials.ToArray(), since = since.ToUnixTimeMilliseconds() }, ct: ct)), cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Serial, r => r.Mails, StringComparer.Ordinal);
    }

    // Not retried: a clear that committed before the connection dropped would read as "not locked" the second time.
    public async Task<bool> TryClearStaleLockAsync(string serial, DateTimeOffset failedBefore, CancellationToken cancellationToken) =>
        await RunAsync("cannot clear the lock", Retry.Never, (connection, ct) =>
            connection.ExecuteAsync(Command(
                PostgresStatements.ClearStaleLock, new { serial, cutoff = failedBefore.ToUnixTimeMilliseconds(), now = Now() }, ct: ct)), cancellationToken)
            .ConfigureAwait(false) == 1;

    /// <summary>
    /// One transaction whose first statement is the conditional consume, so one of any number of concurrent answers wins;
    /// then the State's other challenges and the older ones are closed and the failcount reset. Retried once after a
    /// dropped connection: a consume that committed is found answered, so the retry reports false.
    /// </summary>
    public Task<bool> TryAnswerChallengeAsync(OtpChallenge challenge, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var updated = Now();
        return InTransactionAsync("cannot accept the answer", Retry.Once, async (connection, transaction, ct) =>
        {
            var won = await connection.QuerySingleOrDefaultAsync<long?>(Command(
                PostgresStatements.AnswerChallenge, new { id = challenge.Id, state = challenge.State, now = now.ToUnixTimeMilliseconds() }, transaction, ct)).ConfigureAwait(false);
            if (won is null)
            {
                return (false, false);
            }

            await connection.ExecuteAsync(Command(PostgresStatements.CloseStateAndOlder, new { state = challenge.State }, transaction, ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(Command(PostgresStatements.ResetFailCount, new { serial = challenge.Serial, now = updated }, transaction, ct)).ConfigureAwait(false);
            return (true, true);
        }, cancellationToken);
    }

    /// <summary>Attempts on the challenges, then the failcounts, each set of rows locked in id (serial) order; not retried.</summary>
    public Task RecordWrongAnswerAsync(IReadOnlyCollection<long> challengeIds, IReadOnlyCollection<string> serials, int maxAttempts, CancellationToken cancellationToken)
    {
        if (challengeIds.Count == 0 && serials.Count == 0)
        {
            return Task.CompletedTask;
        }

        var now = Now();
        return InTransactionAsync("cannot count the wrong answer", Retry.Never, async (connection, transaction, ct) =>
        {
            if (challengeIds.Count > 0)
            {
                await connection.ExecuteAsync(Command(
                    PostgresStatements.CountWrongAnswer, new { ids = challengeIds.ToArray(), maxAttempts = (long)maxAttempts }, transaction, ct)).ConfigureAwait(false);
            }

            if (serials.Count > 0)
            {
                await connection.ExecuteAsync(Command(PostgresStatements.IncrementFailCount, new { serials = serials.ToArray(), now }, transaction, ct)).ConfigureAwait(false);
            }

            return (true, 0);
        }, cancellationToken);
    }

    public Task RecordDeliveryAsync(
        long challengeId, DeliveryStatus outcome, string? provider, string? messageId, string? error, TimeSpan duration, CancellationToken cancellationToken) =>
        RunAsync("cannot record the delivery", Retry.Once, (connection, ct) =>
            connection.ExecuteAsync(Command(
                PostgresStatements.RecordDelivery,
                new
                {
                    id = challengeId,
                    delivery = ChallengeRow.DeliveryName(outcome),
                    provider,
                    messageId,
                    error,
                    durationMs = (long)duration.TotalMilliseconds,
                },
                ct: ct)),
            cancellationToken);

    /// <summary>This node's pending deliveries only: the other nodes' may be under way.</summary>
    public Task<int> MarkInterruptedDeliveriesAsync(CancellationToken cancellationToken) =>
        RunAsync("cannot mark the interrupted deliveries", Retry.Once, (connection, ct) =>
            connection.ExecuteAsync(Command(PostgresStatements.MarkInterrupted, new { node = Node, error = InterruptedError }, ct: ct)), cancellationToken);

    /// <summary>Runs on one node at a time: when another node holds the cleanup lock, returns 0 at once.</summary>
    public Task<int> CleanupAsync(DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken) =>
        InTransactionAsync("cannot clean up the challenges", Retry.Once, async (connection, transaction, ct) =>
        {
            if (!await connection.ExecuteScalarAsync<bool>(Command(PostgresStatements.TryCleanupLock, new { key = PostgresMigrations.CleanupLock }, transaction, ct))
                    .ConfigureAwait(false))
            {
                return (false, 0);
            }

            await connection.ExecuteAsync(Command(PostgresStatements.ExpireOpen, new { now = now.ToUnixTimeMilliseconds() }, transaction, ct)).ConfigureAwait(false);
            var deleted = await connection.ExecuteAsync(Command(
                PostgresStatements.DeleteExpired, new { cutoff = (now - retention).ToUnixTimeMilliseconds() }, transaction, ct)).ConfigureAwait(false);
            return (true, deleted);
        }, cancellationToken);

    public async Task<StoreCounts> CountAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = await RunAsync("cannot count challenges and tokens", Retry.Once, (connection, ct) =>
            connection.QuerySingleAsync<(long OpenChallenges, long LockedTokens)>(Command(
                PostgresStatements.Counts, new { now = now.ToUnixTimeMilliseconds() }, ct: ct)), cancellationToken).ConfigureAwait(false);
        return new StoreCounts(row.OpenChallenges, row.LockedTokens);
    }

    public Task<IReadOnlyList<OtpChallenge>> ListChallengesAsync(string? user, CancellationToken cancellationToken) =>
        QueryChallengesAsync(PostgresStatements.Challenges, new { user }, cancellationToken);

    private Task<IReadOnlyList<OtpChallenge>> QueryChallengesAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<OtpChallenge>>("cannot read the challenges", Retry.Once, async (connection, ct) =>
        {
            var rows = await connection.QueryAsync<ChallengeRow>(Command(sql, parameters, ct: ct)).ConfigureAwait(false);
            return [.. rows.Select(r => r.ToChallenge())];
        }, cancellationToken);
}
