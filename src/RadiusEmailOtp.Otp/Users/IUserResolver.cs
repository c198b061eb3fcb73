using RadiusEmailOtp.Otp.Realms;

namespace RadiusEmailOtp.Otp.Users;

/// <summary>
/// A user store the engine asks about a login (LinOTP's and privacyIDEA's "resolver"): finds the user, checks the
/// user's own password and reads the current e-mail address. Implementations never throw for an unreachable store:
/// they answer <see cref="UserLookupStatus.Unavailable"/> or <see cref="PasswordCheckResult.Unavailable"/>.
/// </summary>
public interface IUserResolver
{
    /// <summary>The resolver's configured name (<c>local</c> for the token table).</summary>
    string Name { get; }

    /// <summary>Finds the user; the answer may come from a short cache (never for passwords or addresses).</summary>
    Task<UserLookupResult> FindAsync(UserIdentity identity, CancellationToken cancellationToken);

    /// <summary>Checks the user's own password with one attempt (a directory never binds with an empty one).</summary>
    Task<PasswordCheckResult> CheckPasswordAsync(ResolvedUser user, string password, CancellationToken cancellationToken);

    /// <summary>Reads the user's current e-mail address from the store itself, never from a cache.</summary>
    Task<UserLookupResult> ReadEmailAsync(ResolvedUser user, CancellationToken cancellationToken);
}
