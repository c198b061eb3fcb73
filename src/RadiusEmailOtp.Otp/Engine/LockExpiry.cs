using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Otp.Engine;

/// <summary>
/// failcount_clear_timeout: a token locked by failures unlocks itself that long after its last one, so a stranger who
/// knows a user name can lock the user out for a while, not until an admin runs <c>token reset</c>. The clear is a
/// conditional update (still locked, no newer failure), so concurrent requests or nodes clear it once.
/// </summary>
internal sealed class LockExpiry(IOtpStore store, ILogger logger)
{
    /// <summary>Returns the tokens with the stale locks among them cleared (as the store now holds them).</summary>
    public async Task<List<EmailToken>> ReleaseStaleAsync(List<EmailToken> tokens, TimeSpan timeout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return tokens;
        }

        var cutoff = now - timeout;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.IsLocked || (token.LastFailure ?? token.Updated) > cutoff)
            {
                continue;
            }

            if (await store.TryClearStaleLockAsync(token.Serial, cutoff, cancellationToken).ConfigureAwait(false))
            {
                EngineLog.LockExpired(logger, token.Serial, token.User, token.Realm, (long)timeout.TotalSeconds);
                tokens[i] = token with { FailCount = 0, LastFailure = null };
            }
        }

        return tokens;
    }
}
