using System.Runtime.CompilerServices;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>Passes every call to the real store and records the names of the calls, in order.</summary>
public sealed class CountingOtpStore(IOtpStore inner) : IOtpStore
{
    private readonly List<string> _calls = [];

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public void Reset()
    {
        lock (_calls)
        {
            _calls.Clear();
        }
    }

    public Task<bool> AddTokenAsync(EmailToken token, CancellationToken cancellationToken) =>
        Record(inner.AddTokenAsync(token, cancellationToken));

    public Task<EmailToken?> GetTokenAsync(string serial, CancellationToken cancellationToken) =>
        Record(inner.GetTokenAsync(serial, cancellationToken));

    public Task<IReadOnlyList<EmailToken>> ListTokensAsync(string? user, string? realm, CancellationToken cancellationToken) =>
        Record(inner.ListTokensAsync(user, realm, cancellationToken));

    public Task<bool> SetActiveAsync(string serial, bool active, CancellationToken cancellationToken) =>
        Record(inner.SetActiveAsync(serial, active, cancellationToken));

    public Task<bool> ResetFailCountAsync(string serial, CancellationToken cancellationToken) =>
        Record(inner.ResetFailCountAsync(serial, cancellationToken));

    public Task<bool> SetPinAsync(string serial, byte[] salt, byte[] hash, CancellationToken cancellationToken) =>
        Record(inner.SetPinAsync(serial, salt, hash, cancellationToken));

    public Task<bool> SetEmailAsync(string serial, string email, CancellationToken cancellationToken) =>
        Record(inner.SetEmailAsync(serial, email, cancellationToken));

    public Task<bool> DeleteTokenAsync(string serial, CancellationToken cancellationToken) =>
        Record(inner.DeleteTokenAsync(serial, cancellationToken));

    public Task IncrementFailCountAsync(IReadOnlyCollection<string> serials, CancellationToken cancellationToken) =>
        Record(inner.IncrementFailCountAsync(serials, cancellationToken));

    /// <summary>Awaited before each challenge is created (a test lines up two engines' creations here).</summary>
    public Func<Task>? BeforeCreateChallenge { get; set; }

    public async Task<OtpChallenge?> TryCreateChallengeAsync(OtpChallenge challenge, ChallengeGuard guard, CancellationToken cancellationToken)
    {
        if (BeforeCreateChallenge is { } before)
        {
            await before();
        }

        return await Record(inner.TryCreateChallengeAsync(challenge, guard, cancellationToken));
    }

    public Task<IReadOnlyList<OtpChallenge>> GetChallengesByStateAsync(string state, CancellationToken cancellationToken) =>
        Record(inner.GetChallengesByStateAsync(state, cancellationToken));

    public Task<IReadOnlyList<OtpChallenge>> GetOpenChallengesAsync(
        IReadOnlyCollection<string> serials, DateTimeOffset now, CancellationToken cancellationToken) =>
        Record(inner.GetOpenChallengesAsync(serials, now, cancellationToken));

    public Task<bool> TryAnswerChallengeAsync(OtpChallenge challenge, DateTimeOffset now, CancellationToken cancellationToken) =>
        Record(inner.TryAnswerChallengeAsync(challenge, now, cancellationToken));

    public Task RecordWrongAnswerAsync(
        IReadOnlyCollection<long> challengeIds, IReadOnlyCollection<string> serials, int maxAttempts, CancellationToken cancellationToken) =>
        Record(inner.RecordWrongAnswerAsync(challengeIds, serials, maxAttempts, cancellationToken));

    public Task RecordDeliveryAsync(
        long challengeId, DeliveryStatus outcome, string? provider, string? messageId, string? error, TimeSpan duration, CancellationToken cancellationToken) =>
        Record(inner.RecordDeliveryAsync(challengeId, outcome, provider, messageId, error, duration, cancellationToken));

    public Task<IReadOnlyList<OtpChallenge>> GetAnsweredChallengesAsync(IReadOnlyCollection<string> serials, DateTimeOffset now, CancellationToken cancellationToken) =>
        Record(inner.GetAnsweredChallengesAsync(serials, now, cancellationToken));

    public Task<IReadOnlyDictionary<string, int>> CountMailsSinceAsync(IReadOnlyCollection<string> serials, DateTimeOffset since, CancellationToken cancellationToken) =>
        Record(inner.CountMailsSinceAsync(serials, since, cancellationToken));

    public Task<bool> TryClearStaleLockAsync(string serial, DateTimeOffset failedBefore, CancellationToken cancellationToken) =>
        Record(inner.TryClearStaleLockAsync(serial, failedBefore, cancellationToken));

    public Task<int> MarkInterruptedDeliveriesAsync(CancellationToken cancellationToken) =>
        Record(inner.MarkInterruptedDeliveriesAsync(cancellationToken));

    public Task<int> CleanupAsync(DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken) =>
        Record(inner.CleanupAsync(now, retention, cancellationToken));

    public Task<StoreCounts> CountAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Record(inner.CountAsync(now, cancellationToken));

    public Task<IReadOnlyList<OtpChallenge>> ListChallengesAsync(string? user, CancellationToken cancellationToken) =>
        Record(inner.ListChallengesAsync(user, cancellationToken));

    public Task<TokenImportResult> ImportTokensAsync(IReadOnlyList<EmailToken> tokens, bool skipExisting, CancellationToken cancellationToken) =>
        Record(inner.ImportTokensAsync(tokens, skipExisting, cancellationToken));

    public IOtpStore WithAudit(AuditEntry entry) => Record(new CountingOtpStore(inner.WithAudit(entry)));

    public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        Record(inner.AppendAuditAsync(entry, cancellationToken));

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? user, int limit, CancellationToken cancellationToken) =>
        Record(inner.ListAuditAsync(user, limit, cancellationToken));

    private T Record<T>(T result, [CallerMemberName] string name = "")
    {
        lock (_calls)
        {
            _calls.Add(name);
        }

        return result;
    }
}
