using System.Globalization;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// The statements of the request path, in one place so a test can hold each to an index (EXPLAIN QUERY PLAN): none may
/// scan a table, or its cost would grow with the tokens and with the answered and expired challenges kept for
/// <c>challenge list</c>. Status values are the lower-case names of <see cref="Otp.Storage.ChallengeStatus"/> and
/// <see cref="Otp.Storage.DeliveryStatus"/> (<see cref="ChallengeRow.StatusName"/>).
/// </summary>
internal static class SqliteStatements
{
    private static readonly string[] s_listParameters = [.. Enumerable.Range(0, 8).Select(i => "@p" + i.ToString(CultureInfo.InvariantCulture))];
    private static readonly string?[] s_openChallenges = new string?[9];
    private static readonly string?[] s_incrementFailCount = new string?[9];
    private static readonly string?[] s_countWrongAnswer = new string?[9];
    private static readonly string?[] s_answeredChallenges = new string?[9];
    private static readonly string?[] s_mailsSince = new string?[9];

    public static readonly string TokensOfUser =
        $"SELECT {TokenRow.Columns} FROM tokens WHERE user_name = @user AND realm = @realm ORDER BY serial;";

    public static readonly string ChallengesOfState =
        $"SELECT {ChallengeRow.Columns} FROM challenges WHERE state = @state ORDER BY id;";

    // Conditional on the counter the engine read (of two requests that read the same value only one advances it) and on
    // the guard (ChallengeGuard: no open challenge inside the blocking window, from that NAS when bound; the mail limit
    // not reached), so the check and the advance are one step. PostgresStatements.CreateChallenge is its twin.
    public const string AdvanceCounter = """
        UPDATE tokens SET counter = @counter + 1, updated_at = @now
        WHERE serial = @serial AND counter = @counter AND active = 1
          AND NOT EXISTS (
              SELECT 1 FROM challenges AS c
              WHERE c.serial = @serial AND c.status = 'open' AND c.expires_at > @created AND c.created_at > @blockedSince
                AND c.delivery_status IN ('pending', 'accepted', 'unknown')
                AND (@blockedClient IS NULL OR c.client = @blockedClient))
          AND (SELECT COUNT(*) FROM challenges AS m
               WHERE m.serial = @serial AND m.created_at > @mailSince AND m.delivery_status <> 'failed') < @maxMails;
        """;

    public const string InsertChallenge = """
        INSERT INTO challenges (state, serial, counter, user_name, realm, client, created_at, expires_at, status, attempts, delivery_status)
        VALUES (@state, @serial, @counter, @user, @realm, @client, @created, @expires, 'open', 0, 'pending')
        RETURNING id;
        """;

    // Conditional on status = 'open': of two concurrent answers with the same OTP only one can win.
    public const string AnswerChallenge =
        "UPDATE challenges SET status = 'answered' WHERE id = @id AND status = 'open' AND expires_at > @now;";

    // A correct answer closes every challenge of its State (one State covers all the tokens a PIN mailed: left open,
    // another token's code could log in a second time on the same State) and, per token of that State, the older open
    // ones; newer ones stay open. Reached through the State and (serial, status) indexes, never a scan of the table.
    public const string CloseStateAndOlder = """
        UPDATE challenges SET status = 'closed'
        WHERE serial IN (SELECT s.serial FROM challenges AS s WHERE s.state = @state)
          AND status = 'open'
          AND (state = @state
               OR counter < (SELECT MAX(s.counter) FROM challenges AS s WHERE s.state = @state AND s.serial = challenges.serial));
        """;

    public const string ResetFailCount = "UPDATE tokens SET failcount = 0, last_failure_at = NULL, updated_at = @now WHERE serial = @serial;";

    // failcount_clear_timeout: conditional, so of two requests (or nodes) that see the same stale lock one clears it.
    public const string ClearStaleLock = """
        UPDATE tokens SET failcount = 0, last_failure_at = NULL, updated_at = @now
        WHERE serial = @serial AND failcount >= max_fail AND COALESCE(last_failure_at, updated_at) <= @cutoff;
        """;

    public const string RecordDelivery = """
        UPDATE challenges
        SET delivery_status = @delivery, provider = @provider, message_id = @messageId, delivery_error = @error,
            delivery_ms = @durationMs,
            status = CASE WHEN @delivery = 'failed' AND status = 'open' THEN 'failed' ELSE status END
        WHERE id = @id;
        """;

    // Cleanup, once a minute: both reach their rows through ix_challenges_expires.
    public const string ExpireOpen = "UPDATE challenges SET status = 'expired' WHERE expires_at <= @now AND status = 'open';";

    public const string DeleteExpired = "DELETE FROM challenges WHERE expires_at <= @cutoff;";

    /// <summary>Open, unexpired challenges of <paramref name="count"/> tokens (parameters <c>@p0…</c>, <c>@now</c>).</summary>
    public static string OpenChallengesOfTokens(int count) => Cached(s_openChallenges, count, static count =>
        $"SELECT {ChallengeRow.Columns} FROM challenges WHERE serial IN ({List(count)}) AND status = 'open' AND expires_at > @now ORDER BY id;");

    /// <summary>Failcount +1 on <paramref name="count"/> tokens (parameters <c>@p0…</c>, <c>@now</c>).</summary>
    public static string IncrementFailCount(int count) => Cached(s_incrementFailCount, count, static count =>
        $"UPDATE tokens SET failcount = failcount + 1, last_failure_at = @now, updated_at = @now WHERE serial IN ({List(count)});");

    /// <summary>
    /// Answered challenges of <paramref name="count"/> tokens that have not expired yet (parameters <c>@p0…</c>, <c>@now</c>):
    /// a correct code for one of them is a late copy of the winning request, not a guess.
    /// </summary>
    public static string AnsweredChallengesOfTokens(int count) => Cached(s_answeredChallenges, count, static count =>
        $"SELECT {ChallengeRow.Columns} FROM challenges WHERE serial IN ({List(count)}) AND status = 'answered' AND expires_at > @now ORDER BY id;");

    /// <summary>
    /// Mails per token since <c>@since</c> (parameters <c>@p0…</c>): every challenge is one mail, except those whose
    /// every provider refused it (nobody received those).
    /// </summary>
    public static string MailsOfTokensSince(int count) => Cached(s_mailsSince, count, static count =>
        $"SELECT serial AS Serial, COUNT(*) AS Mails FROM challenges WHERE serial IN ({List(count)}) AND created_at > @since AND delivery_status <> 'failed' GROUP BY serial;");

    /// <summary>
    /// A wrong answer on <paramref name="count"/> challenges (parameters <c>@p0…</c>, <c>@maxAttempts</c>): attempts +1,
    /// closed at the limit.
    /// </summary>
    public static string CountWrongAnswer(int count) => Cached(s_countWrongAnswer, count, static count => $"""
        UPDATE challenges
        SET attempts = attempts + 1,
            status = CASE WHEN attempts + 1 >= @maxAttempts THEN 'closed' ELSE status END
        WHERE id IN ({List(count)}) AND status = 'open';
        """);

    /// <summary>The name of the <paramref name="index"/>th list parameter.</summary>
    public static string ListParameter(int index) =>
        index < s_listParameters.Length ? s_listParameters[index] : "@p" + index.ToString(CultureInfo.InvariantCulture);

    // The texts of the short lists, built once: the prepared connections look their commands up by text on every call.
    private static string Cached(string?[] cache, int count, Func<int, string> build)
    {
        if (count >= cache.Length)
        {
            return build(count);
        }

        return cache[count] ??= build(count);
    }

    // "@p0, @p1, ...": one statement text, and so one prepared statement, per list length.
    private static string List(int count) =>
        count == 1 ? ListParameter(0) : string.Join(", ", Enumerable.Range(0, count).Select(ListParameter));
}
