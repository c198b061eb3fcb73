using Dapper;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>The challenge half of the store.</summary>
internal sealed partial class SqliteOtpStore
{
    private static readonly string s_open = ChallengeRow.StatusName(ChallengeStatus.Open);

    public async Task<OtpChallenge?> TryCreateChallengeAsync(OtpChallenge challenge, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Conditional on the counter we read: of two requests that read the same value only one advances it.
        var advanced = await connection.ExecuteAsync(
            "UPDATE tokens SET counter = @Counter + 1, updated_at = @now WHERE serial = @Serial AND counter = @Counter AND active = 1;",
            new { challenge.Serial, challenge.Counter, now = Now() },
            transaction).ConfigureAwait(false);
        if (advanced != 1)
        {
            return null;
        }

        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO challenges (state, serial, counter, user_name, realm, client, created_at, expires_at, status, attempts, delivery_status)
            VALUES (@State, @Serial, @Counter, @User, @Realm, @Client, @Created, @Expires, @Status, 0, @Delivery)
            RETURNING id;
            """,
            new
            {
                challenge.State,
                challenge.Serial,
                challenge.Counter,
                challenge.User,
                challenge.Realm,
                challenge.Client,
                Created = challenge.Created.ToUnixTimeMilliseconds(),
                Expires = challenge.Expires.ToUnixTimeMilliseconds(),
                Status = s_open,
                Delivery = ChallengeRow.DeliveryName(DeliveryStatus.Pending),
            },
            transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return challenge with { Id = id, Status = ChallengeStatus.Open, Attempts = 0, Delivery = DeliveryStatus.Pending };
    }

    public async Task<IReadOnlyList<OtpChallenge>> GetChallengesByStateAsync(string state, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ChallengeRow>(
            $"SELECT {ChallengeRow.Columns} FROM challenges WHERE state = @state ORDER BY id;", new { state }).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToChallenge())];
    }

    public async Task<IReadOnlyList<OtpChallenge>> GetOpenChallengesAsync(
        IReadOnlyCollection<string> serials, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (serials.Count == 0)
        {
            return [];
        }

        // Once per request without State (the unknown user's with a decoy serial): a prepared statement.
        return await WithPreparedAsync(
            async connection =>
            {
                var command = connection.Command(
                    $"""
                    SELECT {ChallengeRow.Columns} FROM challenges
                    WHERE serial IN ({SerialList(serials.Count)}) AND status = @open AND expires_at > @now
                    ORDER BY id;
                    """);
                BindSerials(command, serials);
                Bind(command, "@open", s_open);
                Bind(command, "@now", now.ToUnixTimeMilliseconds());
                return await ReadAllAsync<ChallengeRow, OtpChallenge>(connection, command, r => r.ToChallenge(), cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    public async Task<bool> TryAnswerChallengeAsync(OtpChallenge challenge, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var answered = await connection.ExecuteAsync(
            "UPDATE challenges SET status = @answered WHERE id = @Id AND status = @open AND expires_at > @now;",
            new { challenge.Id, answered = ChallengeRow.StatusName(ChallengeStatus.Answered), open = s_open, now = now.ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false);
        if (answered != 1)
        {
            return false;
        }

        // A correct answer closes every challenge of its State (one State covers all the tokens a PIN mailed: left open,
        // another token's code could log in a second time on the same State, and it would keep the user blocked), and,
        // per token of that State, all older challenges; newer ones stay open.
        await connection.ExecuteAsync(
            """
            UPDATE challenges SET status = @closed
            WHERE status = @open
              AND (state = @State
                   OR EXISTS (SELECT 1 FROM challenges AS s
                              WHERE s.state = @State AND s.serial = challenges.serial AND challenges.counter < s.counter));
            """,
            new { challenge.State, closed = ChallengeRow.StatusName(ChallengeStatus.Closed), open = s_open },
            transaction).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "UPDATE tokens SET failcount = 0, updated_at = @now WHERE serial = @Serial;",
            new { challenge.Serial, now = Now() },
            transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task RecordWrongAnswerAsync(
        IReadOnlyCollection<long> challengeIds, IReadOnlyCollection<string> serials, int maxAttempts, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (challengeIds.Count > 0)
        {
            await connection.ExecuteAsync(
                """
                UPDATE challenges
                SET attempts = attempts + 1,
                    status = CASE WHEN attempts + 1 >= @maxAttempts THEN @closed ELSE status END
                WHERE id IN @challengeIds AND status = @open;
                """,
                new { challengeIds, maxAttempts, closed = ChallengeRow.StatusName(ChallengeStatus.Closed), open = s_open },
                transaction).ConfigureAwait(false);
        }

        if (serials.Count > 0)
        {
            await connection.ExecuteAsync(
                "UPDATE tokens SET failcount = failcount + 1, updated_at = @now WHERE serial IN @serials;",
                new { serials, now = Now() },
                transaction).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RecordDeliveryAsync(
        long challengeId, bool accepted, string? provider, string? messageId, string? error, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            UPDATE challenges
            SET delivery_status = @delivery, provider = @provider, message_id = @messageId, delivery_error = @error,
                delivery_ms = @durationMs,
                status = CASE WHEN @accepted = 0 AND status = @open THEN @failed ELSE status END
            WHERE id = @challengeId;
            """,
            new
            {
                challengeId,
                accepted = accepted ? 1 : 0,
                delivery = ChallengeRow.DeliveryName(accepted ? DeliveryStatus.Accepted : DeliveryStatus.Failed),
                provider,
                messageId,
                error,
                durationMs = (long)duration.TotalMilliseconds,
                open = s_open,
                failed = ChallengeRow.StatusName(ChallengeStatus.Failed),
            }).ConfigureAwait(false);
    }

    public async Task<int> MarkInterruptedDeliveriesAsync(CancellationToken cancellationToken)
    {
        // One process owns this database today; with several nodes this needs a node column to touch only our own rows.
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            "UPDATE challenges SET delivery_status = @interrupted, delivery_error = @error WHERE delivery_status = @pending;",
            new
            {
                interrupted = ChallengeRow.DeliveryName(DeliveryStatus.Interrupted),
                pending = ChallengeRow.DeliveryName(DeliveryStatus.Pending),
                error = "the server stopped before a provider answered",
            }).ConfigureAwait(false);
    }

    public async Task<int> CleanupAsync(DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "UPDATE challenges SET status = @expired WHERE status = @open AND expires_at <= @now;",
            new { expired = ChallengeRow.StatusName(ChallengeStatus.Expired), open = s_open, now = now.ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false);
        var deleted = await connection.ExecuteAsync(
            "DELETE FROM challenges WHERE expires_at <= @cutoff;",
            new { cutoff = (now - retention).ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    public async Task<IReadOnlyList<OtpChallenge>> ListChallengesAsync(string? user, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ChallengeRow>(
            $"SELECT {ChallengeRow.Columns} FROM challenges WHERE (@user IS NULL OR user_name = @user) ORDER BY id DESC;",
            new { user }).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToChallenge())];
    }
}
