namespace RadiusEmailOtp.Infrastructure.Storage.Postgres;

/// <summary>
/// The statements of the PostgreSQL store. Each decision that two nodes could race on is one statement whose WHERE
/// clause decides it (a conditional <c>UPDATE … RETURNING</c>, an <c>INSERT … ON CONFLICT DO NOTHING</c>): under READ
/// COMMITTED the second writer of a row waits for the first to commit and re-checks the condition on the new row, so it
/// loses; no lock is held across a mail or any other I/O. Rows of several tokens or challenges are locked in one
/// statement, in serial (or id) order, so two transactions never lock them in opposite orders (deadlock).
/// Status values are the lower-case names of <see cref="Otp.Storage.ChallengeStatus"/> and
/// <see cref="Otp.Storage.DeliveryStatus"/>, as on SQLite.
/// </summary>
internal static class PostgresStatements
{
    // TokenRow's and ChallengeRow's names; active is a boolean here, read as the 0/1 TokenRow expects.
    public const string TokenColumns = """
        serial AS Serial, user_name AS UserName, realm AS Realm, email AS Email, pin_salt AS PinSalt, pin_hash AS PinHash,
        seed_nonce AS SeedNonce, seed_ciphertext AS SeedCiphertext, hash_algorithm AS HashAlgorithm, otp_length AS OtpLength,
        counter AS Counter, failcount AS FailCount, max_fail AS MaxFail, active::int4::int8 AS Active, description AS Description,
        created_at AS CreatedAt, updated_at AS UpdatedAt, last_failure_at AS LastFailureAt,
        resolver AS Resolver, origin AS Origin
        """;

    public const string ChallengeColumns = ChallengeRow.Columns;

    public const string InsertToken = """
        INSERT INTO tokens (serial, user_name, realm, email, pin_salt, pin_hash, seed_nonce, seed_ciphertext, hash_algorithm,
                            otp_length, counter, failcount, max_fail, active, description, created_at, updated_at, resolver, origin)
        VALUES (@Serial, @User, @Realm, @Email, @PinSalt, @PinHash, @SeedNonce, @SeedCiphertext, @Hash, @OtpLength, @Counter,
                @FailCount, @MaxFail, @Active, @Description, @Created, @Updated, @Resolver, @Origin)
        ON CONFLICT DO NOTHING;
        """;

    public const string TokenBySerial = $"SELECT {TokenColumns} FROM tokens WHERE serial = @serial;";

    public const string TokensOfUser = $"SELECT {TokenColumns} FROM tokens WHERE user_name = @user AND realm = @realm ORDER BY serial;";

    public const string Tokens = $"""
        SELECT {TokenColumns} FROM tokens
        WHERE (@user::text IS NULL OR user_name = @user) AND (@realm::text IS NULL OR realm = @realm)
        ORDER BY serial;
        """;

    // Failcount +1 on a user's tokens: the rows are locked in serial order first (one statement), so two requests that
    // count failures on the same tokens queue instead of deadlocking. Relative (failcount + 1), so no count is lost.
    public const string IncrementFailCount = """
        WITH locked AS (SELECT serial FROM tokens WHERE serial = ANY(@serials) ORDER BY serial FOR UPDATE)
        UPDATE tokens SET failcount = failcount + 1, last_failure_at = @now, updated_at = @now
        FROM locked WHERE tokens.serial = locked.serial;
        """;

    // The counter advance and the challenge insert in one statement, conditional on the counter the engine read (of two
    // requests that read it, one advances it) and on the guard: no open challenge inside the blocking window (from that
    // NAS when bound) and the mail limit not reached. The loser of a race on the token row re-checks on the winner's
    // row (counter moved) and inserts nothing; a later request's snapshot sees the winner's challenge.
    // Safe to run twice: the last SELECT (on the statement's snapshot, so it never sees this run's own insert) finds the
    // challenge a first run committed before its connection dropped (same serial, counter and 128-bit State), so a
    // retry returns that challenge instead of reporting a lost race for a challenge that exists.
    public const string CreateChallenge = """
        WITH advanced AS (
            UPDATE tokens SET counter = @counter + 1, updated_at = @now
            WHERE serial = @serial AND counter = @counter AND active
              AND NOT EXISTS (
                  SELECT 1 FROM challenges AS c
                  WHERE c.serial = @serial AND c.status = 'open' AND c.expires_at > @created AND c.created_at > @blockedSince
                    AND c.delivery_status IN ('pending', 'accepted', 'unknown')
                    AND (@blockedClient::text IS NULL OR c.client = @blockedClient))
              AND (SELECT COUNT(*) FROM challenges AS m
                   WHERE m.serial = @serial AND m.created_at > @mailSince AND m.delivery_status <> 'failed') < @maxMails
            RETURNING serial),
        inserted AS (
            INSERT INTO challenges (state, serial, counter, user_name, realm, client, node, created_at, expires_at, status, attempts, delivery_status)
            SELECT @state, serial, @counter, @user, @realm, @client, @node, @created, @expires, 'open', 0, 'pending' FROM advanced
            RETURNING id)
        SELECT id FROM inserted
        UNION ALL
        SELECT id FROM challenges WHERE serial = @serial AND counter = @counter AND state = @state;
        """;

    public const string ChallengesOfState = $"SELECT {ChallengeColumns} FROM challenges WHERE state = @state ORDER BY id;";

    public const string OpenChallengesOfTokens =
        $"SELECT {ChallengeColumns} FROM challenges WHERE serial = ANY(@serials) AND status = 'open' AND expires_at > @now ORDER BY id;";

    public const string AnsweredChallengesOfTokens =
        $"SELECT {ChallengeColumns} FROM challenges WHERE serial = ANY(@serials) AND status = 'answered' AND expires_at > @now ORDER BY id;";

    public const string MailsOfTokensSince = """
        SELECT serial AS Serial, COUNT(*)::int4 AS Mails FROM challenges
        WHERE serial = ANY(@serials) AND created_at > @since AND delivery_status <> 'failed'
        GROUP BY serial;
        """;

    public const string ClearStaleLock = """
        UPDATE tokens SET failcount = 0, last_failure_at = NULL, updated_at = @now
        WHERE serial = @serial AND failcount >= max_fail AND COALESCE(last_failure_at, updated_at) <= @cutoff;
        """;

    // The first statement of an answer's transaction: conditional on status = 'open', so of 20 concurrent answers with
    // the same OTP (on any nodes) exactly one updates the row; the others wait for it and then find it answered. It
    // locks every challenge of the State first, in id order (COUNT reads the whole locking CTE), as a wrong answer
    // on the State does, so the answer's closing of the State's other rows cannot deadlock with a wrong answer.
    public const string AnswerChallenge = """
        WITH state_rows AS (SELECT id FROM challenges WHERE state = @state ORDER BY id FOR UPDATE)
        UPDATE challenges SET status = 'answered'
        WHERE id = @id AND status = 'open' AND expires_at > @now AND (SELECT COUNT(*) FROM state_rows) > 0
        RETURNING id;
        """;

    // Then every challenge of the State and, per token of the State, the older open ones (as SQLite's CloseStateAndOlder),
    // locked in id order.
    public const string CloseStateAndOlder = """
        WITH of_state AS (SELECT serial, MAX(counter) AS counter FROM challenges WHERE state = @state GROUP BY serial),
             closing AS (
                 SELECT c.id FROM challenges AS c JOIN of_state AS s ON s.serial = c.serial
                 WHERE c.status = 'open' AND (c.state = @state OR c.counter < s.counter)
                 ORDER BY c.id FOR UPDATE OF c)
        UPDATE challenges SET status = 'closed' FROM closing WHERE challenges.id = closing.id;
        """;

    public const string ResetFailCount = "UPDATE tokens SET failcount = 0, last_failure_at = NULL, updated_at = @now WHERE serial = @serial;";

    public const string CountWrongAnswer = """
        WITH locked AS (SELECT id FROM challenges WHERE id = ANY(@ids) AND status = 'open' ORDER BY id FOR UPDATE)
        UPDATE challenges
        SET attempts = attempts + 1,
            status = CASE WHEN attempts + 1 >= @maxAttempts THEN 'closed' ELSE status END
        FROM locked WHERE challenges.id = locked.id;
        """;

    // Idempotent: the same outcome written twice is the same row.
    public const string RecordDelivery = """
        UPDATE challenges
        SET delivery_status = @delivery, provider = @provider, message_id = @messageId, delivery_error = @error,
            delivery_ms = @durationMs,
            status = CASE WHEN @delivery = 'failed' AND status = 'open' THEN 'failed' ELSE status END
        WHERE id = @id;
        """;

    // Only this node's rows: another node's pending deliveries may be running right now.
    public const string MarkInterrupted = """
        UPDATE challenges SET delivery_status = 'interrupted', delivery_error = @error
        WHERE delivery_status = 'pending' AND node = @node;
        """;

    public const string TryCleanupLock = "SELECT pg_try_advisory_xact_lock(@key);";

    public const string ExpireOpen = "UPDATE challenges SET status = 'expired' WHERE expires_at <= @now AND status = 'open';";

    public const string DeleteExpired = "DELETE FROM challenges WHERE expires_at <= @cutoff;";

    public const string Counts = """
        SELECT
            (SELECT COUNT(*) FROM challenges WHERE expires_at > @now AND status = 'open') AS OpenChallenges,
            (SELECT COUNT(*) FROM tokens WHERE failcount >= max_fail) AS LockedTokens;
        """;

    public const string Challenges =
        $"SELECT {ChallengeColumns} FROM challenges WHERE (@user::text IS NULL OR user_name = @user) ORDER BY id DESC;";

    public const string InsertAudit = """
        INSERT INTO audit (time, user_name, os_user, action, serial, detail)
        VALUES (@Time, @User, @OsUser, @Action, @Serial, @Detail);
        """;

    public const string Audit = """
        SELECT time AS Time, user_name AS User, os_user AS OsUser, action AS Action, serial AS Serial, detail AS Detail FROM audit
        WHERE @user::text IS NULL OR user_name = @user
        ORDER BY id DESC LIMIT @limit;
        """;

    public const string UpsertMeta =
        "INSERT INTO store_meta (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value;";
}
