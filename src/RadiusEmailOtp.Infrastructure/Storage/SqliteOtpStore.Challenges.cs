using Dapper;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>The challenge half of the store.</summary>
internal sealed partial class SqliteOtpStore
{
    public async Task<OtpChallenge?> TryCreateChallengeAsync(OtpChallenge challenge, ChallengeGuard guard, CancellationToken cancellationToken)
    {
        var now = Now();
        var id = await _writer.WriteAsync(c =>
        {
            var advance = c.Command(SqliteStatements.AdvanceCounter);
            Bind(advance, "@serial", challenge.Serial);
            Bind(advance, "@counter", challenge.Counter);
            Bind(advance, "@now", now);
            Bind(advance, "@created", challenge.Created.ToUnixTimeMilliseconds());
            Bind(advance, "@blockedSince", guard.BlockedSince.ToUnixTimeMilliseconds());
            Bind(advance, "@blockedClient", guard.BlockedClient);
            Bind(advance, "@mailSince", guard.MailWindowSince.ToUnixTimeMilliseconds());
            Bind(advance, "@maxMails", guard.MaxMails);
            if (advance.ExecuteNonQuery() != 1)
            {
                return (long?)null;
            }

            var insert = c.Command(SqliteStatements.InsertChallenge);
            Bind(insert, "@state", challenge.State);
            Bind(insert, "@serial", challenge.Serial);
            Bind(insert, "@counter", challenge.Counter);
            Bind(insert, "@user", challenge.User);
            Bind(insert, "@realm", challenge.Realm);
            Bind(insert, "@client", challenge.Client);
            Bind(insert, "@created", challenge.Created.ToUnixTimeMilliseconds());
            Bind(insert, "@expires", challenge.Expires.ToUnixTimeMilliseconds());
            return (long)insert.ExecuteScalar()!;
        }).ConfigureAwait(false);
        return id is { } stored
            ? challenge with { Id = stored, Status = ChallengeStatus.Open, Attempts = 0, Delivery = DeliveryStatus.Pending }
            : null;
    }

    public Task<IReadOnlyList<OtpChallenge>> GetChallengesByStateAsync(string state, CancellationToken cancellationToken) =>
        WithPreparedAsync(
            async connection =>
            {
                var command = connection.Command(SqliteStatements.ChallengesOfState);
                Bind(command, "@state", state);
                return await ReadAllAsync<ChallengeRow, OtpChallenge>(connection, command, r => r.ToChallenge(), cancellationToken).ConfigureAwait(false);
            });

    // Once per request without State (the unknown user's with a decoy serial): a prepared statement.
    public Task<IReadOnlyList<OtpChallenge>> GetOpenChallengesAsync(
        IReadOnlyCollection<string> serials, DateTimeOffset now, CancellationToken cancellationToken) =>
        ChallengesOfTokensAsync(SqliteStatements.OpenChallengesOfTokens(serials.Count), serials, now, cancellationToken);

    public Task<IReadOnlyList<OtpChallenge>> GetAnsweredChallengesAsync(
        IReadOnlyCollection<string> serials, DateTimeOffset now, CancellationToken cancellationToken) =>
        ChallengesOfTokensAsync(SqliteStatements.AnsweredChallengesOfTokens(serials.Count), serials, now, cancellationToken);

    public async Task<IReadOnlyDictionary<string, int>> CountMailsSinceAsync(
        IReadOnlyCollection<string> serials, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (serials.Count == 0)
        {
            return new Dictionary<string, int>();
        }

        return await WithPreparedAsync(
            async connection =>
            {
                var command = connection.Command(SqliteStatements.MailsOfTokensSince(serials.Count));
                BindList(command, serials);
                Bind(command, "@since", since.ToUnixTimeMilliseconds());
                var counts = new Dictionary<string, int>(StringComparer.Ordinal);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    counts[reader.GetString(0)] = reader.GetInt32(1);
                }

                return (IReadOnlyDictionary<string, int>)counts;
            }).ConfigureAwait(false);
    }

    public Task<bool> TryClearStaleLockAsync(string serial, DateTimeOffset failedBefore, CancellationToken cancellationToken)
    {
        var now = Now();
        return _writer.WriteAsync(c =>
        {
            var clear = c.Command(SqliteStatements.ClearStaleLock);
            Bind(clear, "@serial", serial);
            Bind(clear, "@cutoff", failedBefore.ToUnixTimeMilliseconds());
            Bind(clear, "@now", now);
            return clear.ExecuteNonQuery() == 1;
        });
    }

    public Task<bool> TryAnswerChallengeAsync(OtpChallenge challenge, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var updated = Now();
        return _writer.WriteAsync(c =>
        {
            var answer = c.Command(SqliteStatements.AnswerChallenge);
            Bind(answer, "@id", challenge.Id);
            Bind(answer, "@now", now.ToUnixTimeMilliseconds());
            if (answer.ExecuteNonQuery() != 1)
            {
                return false;
            }

            var close = c.Command(SqliteStatements.CloseStateAndOlder);
            Bind(close, "@state", challenge.State);
            close.ExecuteNonQuery();
            var reset = c.Command(SqliteStatements.ResetFailCount);
            Bind(reset, "@serial", challenge.Serial);
            Bind(reset, "@now", updated);
            reset.ExecuteNonQuery();
            return true;
        });
    }

    public Task RecordWrongAnswerAsync(
        IReadOnlyCollection<long> challengeIds, IReadOnlyCollection<string> serials, int maxAttempts, CancellationToken cancellationToken)
    {
        if (challengeIds.Count == 0 && serials.Count == 0)
        {
            return Task.CompletedTask;
        }

        var now = Now();
        return _writer.WriteAsync(c =>
        {
            if (challengeIds.Count > 0)
            {
                var attempts = c.Command(SqliteStatements.CountWrongAnswer(challengeIds.Count));
                BindList(attempts, challengeIds);
                Bind(attempts, "@maxAttempts", maxAttempts);
                attempts.ExecuteNonQuery();
            }

            if (serials.Count > 0)
            {
                var failcount = c.Command(SqliteStatements.IncrementFailCount(serials.Count));
                BindList(failcount, serials);
                Bind(failcount, "@now", now);
                failcount.ExecuteNonQuery();
            }

            return 0;
        });
    }

    public Task RecordDeliveryAsync(
        long challengeId, DeliveryStatus outcome, string? provider, string? messageId, string? error, TimeSpan duration, CancellationToken cancellationToken) =>
        _writer.WriteAsync(c =>
        {
            var command = c.Command(SqliteStatements.RecordDelivery);
            Bind(command, "@id", challengeId);
            Bind(command, "@delivery", ChallengeRow.DeliveryName(outcome));
            Bind(command, "@provider", provider);
            Bind(command, "@messageId", messageId);
            Bind(command, "@error", error);
            Bind(command, "@durationMs", (long)duration.TotalMilliseconds);
            return command.ExecuteNonQuery();
        });

    public Task<int> MarkInterruptedDeliveriesAsync(CancellationToken cancellationToken) =>
        // One process owns a SQLite database (the data-dir lock): every pending delivery is this process's. The shared
        // PostgreSQL store keeps the creating node in each challenge and marks only its own.
        _writer.WriteAsync(c => c.Connection.Execute(
            "UPDATE challenges SET delivery_status = @interrupted, delivery_error = @error WHERE delivery_status = @pending;",
            new
            {
                interrupted = ChallengeRow.DeliveryName(DeliveryStatus.Interrupted),
                pending = ChallengeRow.DeliveryName(DeliveryStatus.Pending),
                error = "the server stopped before a provider answered",
            }));

    public Task<int> CleanupAsync(DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken) =>
        _writer.WriteAsync(c =>
        {
            var expire = c.Command(SqliteStatements.ExpireOpen);
            Bind(expire, "@now", now.ToUnixTimeMilliseconds());
            expire.ExecuteNonQuery();
            var delete = c.Command(SqliteStatements.DeleteExpired);
            Bind(delete, "@cutoff", (now - retention).ToUnixTimeMilliseconds());
            return delete.ExecuteNonQuery();
        });

    public async Task<IReadOnlyList<OtpChallenge>> ListChallengesAsync(string? user, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ChallengeRow>(
            $"SELECT {ChallengeRow.Columns} FROM challenges WHERE (@user IS NULL OR user_name = @user) ORDER BY id DESC;",
            new { user }).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToChallenge())];
    }

    private async Task<IReadOnlyList<OtpChallenge>> ChallengesOfTokensAsync(
        string sql, IReadOnlyCollection<string> serials, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (serials.Count == 0)
        {
            return [];
        }

        return await WithPreparedAsync(
            async connection =>
            {
                var command = connection.Command(sql);
                BindList(command, serials);
                Bind(command, "@now", now.ToUnixTimeMilliseconds());
                return await ReadAllAsync<ChallengeRow, OtpChallenge>(connection, command, r => r.ToChallenge(), cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }
}
