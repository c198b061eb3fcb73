using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// A store that is not ready yet: every call throws <see cref="StoreUnavailableException"/> until <see cref="Open"/>,
/// then goes to the inner store. <c>serve</c> uses it when the database cannot be reached at start, so the engine can be
/// built, the sockets bound and every request answered (Reject) while migrations and the key check wait for the database.
/// </summary>
internal sealed class GatedOtpStore : IOtpStore
{
    private readonly IOtpStore _inner;
    private volatile string? _closedReason;

    public GatedOtpStore(IOtpStore inner, string closedReason)
    {
        _inner = inner;
        _closedReason = closedReason;
    }

    public bool IsOpen => _closedReason is null;

    /// <summary>Why calls fail for now; set again while the background open keeps failing, so requests log the latest cause.</summary>
    public void SetClosedReason(string reason)
    {
        if (_closedReason is not null)
        {
            _closedReason = reason;
        }
    }

    public void Open() => _closedReason = null;

    public Task<bool> AddTokenAsync(EmailToken token, CancellationToken cancellationToken) => Inner.AddTokenAsync(token, cancellationToken);

    public Task<EmailToken?> GetTokenAsync(string serial, CancellationToken cancellationToken) => Inner.GetTokenAsync(serial, cancellationToken);

    public Task<IReadOnlyList<EmailToken>> ListTokensAsync(string? user, string? realm, CancellationToken cancellationToken) =>
        Inner.ListTokensAsync(user, realm, cancellationToken);

    public Task<bool> SetActiveAsync(string serial, bool active, CancellationToken cancellationToken) => Inner.SetActiveAsync(serial, active, cancellationToken);

    public Task<bool> ResetFailCountAsync(string serial, CancellationToken cancellationToken) => Inner.ResetFailCountAsync(serial, cancellationToken);

    public Task<bool> SetPinAsync(string serial, byte[] salt, byte[] hash, CancellationToken cancellationToken) =>
        Inner.SetPinAsync(serial, salt, hash, cancellationToken);

    public Task<bool> SetEmailAsync(string serial, string email, CancellationToken cancellationToken) => Inner.SetEmailAsync(serial, email, cancellationToken);

    public Task<bool> DeleteTokenAsync(string serial, CancellationToken cancellationToken) => Inner.DeleteTokenAsync(serial, cancellationToken);

    public Task IncrementFailCountAsync(IReadOnlyCollection<string> serials, CancellationToken cancellationToken) =>
        Inner.IncrementFailCountAsync(serials, cancellationToken);

    public Task<OtpChallenge?> TryCreateChallengeAsync(OtpChallenge challenge, ChallengeGuard guard, CancellationToken cancellationToken) =>
        Inner.TryCreateChallengeAsync(challenge, guard, cancellationToken);

    public Task<IReadOnlyList<OtpChallenge>> GetChallengesByStateAsync(string state, CancellationToken cancellationToken) =>
        Inner.GetChallengesByStateAsync(state, cancellationToken);

    public Task<IReadOnlyList<OtpChallenge>> GetOpenChallengesAsync(IReadOnlyCollection<string> serials, DateTimeOffset now, CancellationToken cancellationToken) =>
        Inner.GetOpenChallengesAsync(serials, now, cancellationToken);

    public Task<bool> TryAnswerChallengeAsync(OtpChallenge challenge, DateTimeOffset now, CancellationToken cancellationToken) =>
        Inner.TryAnswerChallengeAsync(challenge, now, cancellationToken);

    public Task RecordWrongAnswerAsync(IReadOnlyCollection<long> challengeIds, IReadOnlyCollection<string> serials, int maxAttempts, CancellationToken cancellationToken) =>
        Inner.RecordWrongAnswerAsync(challengeIds, serials, maxAttempts, cancellationToken);

    public Task<IReadOnlyList<OtpChallenge>> GetAnsweredChallengesAsync(IReadOnlyCollection<string> serials, DateTimeOffset now, CancellationToken cancellationToken) =>
        Inner.GetAnsweredChallengesAsync(serials, now, cancellationToken);

    public Task<IReadOnlyDictionary<string, int>> CountMailsSinceAsync(IReadOnlyCollection<string> serials, DateTimeOffset since, CancellationToken cancellationToken) =>
        Inner.CountMailsSinceAsync(serials, since, cancellationToken);

    public Task<bool> TryClearStaleLockAsync(string serial, DateTimeOffset failedBefore, CancellationToken cancellationToken) =>
        Inner.TryClearStaleLockAsync(serial, failedBefore, cancellationToken);

    public Task RecordDeliveryAsync(
        long challengeId, DeliveryStatus outcome, string? provider, string? messageId, string? error, TimeSpan duration, CancellationToken cancellationToken) =>
        Inner.RecordDeliveryAsync(challengeId, outcome, provider, messageId, error, duration, cancellationToken);

    public Task<int> MarkInterruptedDeliveriesAsync(CancellationToken cancellationToken) => Inner.MarkInterruptedDeliveriesAsync(cancellationToken);

    public Task<int> CleanupAsync(DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken) =>
        Inner.CleanupAsync(now, retention, cancellationToken);

    public Task<StoreCounts> CountAsync(DateTimeOffset now, CancellationToken cancellationToken) => Inner.CountAsync(now, cancellationToken);

    public Task<IReadOnlyList<OtpChallenge>> ListChallengesAsync(string? user, CancellationToken cancellationToken) =>
        Inner.ListChallengesAsync(user, cancellationToken);

    public Task<TokenImportResult> ImportTokensAsync(IReadOnlyList<EmailToken> tokens, bool skipExisting, CancellationToken cancellationToken) =>
        Inner.ImportTokensAsync(tokens, skipExisting, cancellationToken);

    public IOtpStore WithAudit(AuditEntry entry) => Inner.WithAudit(entry);

    public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken) => Inner.AppendAuditAsync(entry, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? user, int limit, CancellationToken cancellationToken) =>
        Inner.ListAuditAsync(user, limit, cancellationToken);

    // Thrown synchronously from a Task-returning method would escape an un-awaited call; every caller awaits, and a
    // throwing property keeps each forwarder one line.
    private IOtpStore Inner => _closedReason is { } reason ? throw new StoreUnavailableException(reason) : _inner;
}
