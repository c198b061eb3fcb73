using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Otp.Storage;

/// <summary>
/// Tokens and challenges, durable. Every method that changes a counter or a challenge's status is a conditional,
/// committed update: when it returns, the change survives a crash, and two callers can never both win.
/// Methods returning bool report whether the row was found (or the condition held).
/// </summary>
public interface IOtpStore
{
    /// <summary>
    /// Adds a token; false when the serial is taken, or when the token is <see cref="EmailToken.AutoEnrolled"/> and its user
    /// already has an auto-enrolled token (one wins under concurrent first logins).
    /// </summary>
    Task<bool> AddTokenAsync(EmailToken token, CancellationToken cancellationToken);

    Task<EmailToken?> GetTokenAsync(string serial, CancellationToken cancellationToken);

    /// <summary>Tokens filtered by user and realm (null = any), ordered by serial.</summary>
    Task<IReadOnlyList<EmailToken>> ListTokensAsync(string? user, string? realm, CancellationToken cancellationToken);

    Task<bool> SetActiveAsync(string serial, bool active, CancellationToken cancellationToken);

    Task<bool> ResetFailCountAsync(string serial, CancellationToken cancellationToken);

    Task<bool> SetPinAsync(string serial, byte[] salt, byte[] hash, CancellationToken cancellationToken);

    Task<bool> SetEmailAsync(string serial, string email, CancellationToken cancellationToken);

    /// <summary>Deletes a token and its challenges.</summary>
    Task<bool> DeleteTokenAsync(string serial, CancellationToken cancellationToken);

    Task IncrementFailCountAsync(IReadOnlyCollection<string> serials, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically, when <paramref name="guard"/> holds (no open challenge inside the blocking window, the mail limit not
    /// reached: checked in the same step, so two requests or two nodes that both saw none cannot both mail), moves the
    /// token's counter from <c>challenge.Counter</c> to the next value and inserts the challenge; returns the stored
    /// challenge (with its id), or null when the counter had moved, the token is gone or disabled, or the guard failed.
    /// </summary>
    Task<OtpChallenge?> TryCreateChallengeAsync(OtpChallenge challenge, ChallengeGuard guard, CancellationToken cancellationToken);

    Task<IReadOnlyList<OtpChallenge>> GetChallengesByStateAsync(string state, CancellationToken cancellationToken);

    /// <summary>Open challenges of the tokens that expire after <paramref name="now"/>.</summary>
    Task<IReadOnlyList<OtpChallenge>> GetOpenChallengesAsync(IReadOnlyCollection<string> serials, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Marks an open, unexpired challenge answered, closes the other challenges of its State (every token) and, per token
    /// of that State, the older open ones, and resets the token's failcount, in one transaction. False when it was no longer open (answered by a concurrent request, closed, expired).
    /// </summary>
    Task<bool> TryAnswerChallengeAsync(OtpChallenge challenge, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Counts a wrong answer: attempts +1 on the challenges (closed at <paramref name="maxAttempts"/>), failcount +1 on the tokens.</summary>
    Task RecordWrongAnswerAsync(IReadOnlyCollection<long> challengeIds, IReadOnlyCollection<string> serials, int maxAttempts, CancellationToken cancellationToken);

    /// <summary>
    /// Answered challenges of the tokens that expire after <paramref name="now"/>: a correct code for one of them is a late
    /// or concurrent copy of the request that won, not a guess.
    /// </summary>
    Task<IReadOnlyList<OtpChallenge>> GetAnsweredChallengesAsync(IReadOnlyCollection<string> serials, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Mails per token (challenges created after <paramref name="since"/> whose delivery did not fail); tokens with none are absent.</summary>
    Task<IReadOnlyDictionary<string, int>> CountMailsSinceAsync(IReadOnlyCollection<string> serials, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Clears the failcount of a locked token whose last failure was at or before <paramref name="failedBefore"/>
    /// (failcount_clear_timeout); false when it was not locked, or failed since.
    /// </summary>
    Task<bool> TryClearStaleLockAsync(string serial, DateTimeOffset failedBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the mail's outcome (accepted, failed or unknown) and how long it took; a failed delivery also ends an open
    /// challenge (status failed); an unknown one leaves it answerable.
    /// </summary>
    Task RecordDeliveryAsync(
        long challengeId, DeliveryStatus outcome, string? provider, string? messageId, string? error, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>
    /// Marks deliveries still pending from before a restart as interrupted (called once at start, when no delivery of this
    /// process can be running). On a store shared by several nodes, only this node's challenges: another node's
    /// deliveries may be under way. Returns how many there were.
    /// </summary>
    Task<int> MarkInterruptedDeliveriesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Marks open challenges past their expiry expired and deletes those that expired before <c>now - retention</c>;
    /// returns how many were deleted. On a store shared by several nodes one node at a time does it; the others get 0.
    /// </summary>
    Task<int> CleanupAsync(DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken);

    /// <summary>
    /// Open unexpired challenges and locked tokens, for the metrics endpoint (polled every few seconds, so one cheap
    /// read; it also serves as the health check that the store answers).
    /// </summary>
    Task<StoreCounts> CountAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Challenges, newest first, optionally of one user.</summary>
    Task<IReadOnlyList<OtpChallenge>> ListChallengesAsync(string? user, CancellationToken cancellationToken);

    /// <summary>
    /// Adds many tokens all or nothing, in one transaction. A token whose user (user and realm) already has one is
    /// skipped when <paramref name="skipExisting"/>, else nothing is written and the result names those users; a taken
    /// serial writes nothing either and is named, so the caller can give it a fresh one.
    /// </summary>
    Task<TokenImportResult> ImportTokensAsync(IReadOnlyList<EmailToken> tokens, bool skipExisting, CancellationToken cancellationToken);

    /// <summary>
    /// A view of this store in which each admin change that takes effect (<see cref="AddTokenAsync"/>,
    /// <see cref="SetActiveAsync"/>, <see cref="ResetFailCountAsync"/>, <see cref="SetPinAsync"/>, <see cref="SetEmailAsync"/>,
    /// <see cref="DeleteTokenAsync"/>, and <see cref="ImportTokensAsync"/> with one record per imported token) commits in the
    /// same transaction as a copy of <paramref name="entry"/> carrying the changed token's serial. A change that finds no
    /// token records nothing; every other method behaves as on this store.
    /// </summary>
    IOtpStore WithAudit(AuditEntry entry);

    /// <summary>Adds a record to the audit trail on its own (an action that is not one token's change, such as a restore).</summary>
    Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="limit"/> audit records, newest first, optionally of one user.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? user, int limit, CancellationToken cancellationToken);
}
