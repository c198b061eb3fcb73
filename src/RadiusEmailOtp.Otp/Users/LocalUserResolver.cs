using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Otp.Users;

/// <summary>
/// The <c>local</c> resolver: the users of the token table. A user exists when a token is enrolled for them; their
/// password is the PIN of one of their tokens and their address the first token's (tokens are ordered by serial).
/// </summary>
public sealed class LocalUserResolver(IOtpStore store, TokenProtector protector) : IUserResolver
{
    public const string ResolverName = "local";

    public string Name => ResolverName;

    public async Task<UserLookupResult> FindAsync(UserIdentity identity, CancellationToken cancellationToken)
    {
        var tokens = await store.ListTokensAsync(identity.User, identity.Realm, cancellationToken).ConfigureAwait(false);
        return tokens.Count == 0 ? UserLookupResult.NotFound : UserLookupResult.Found(ToUser(identity, tokens));
    }

    public async Task<PasswordCheckResult> CheckPasswordAsync(ResolvedUser user, string password, CancellationToken cancellationToken)
    {
        var identity = IdentityOf(user);
        var tokens = await store.ListTokensAsync(identity.User, identity.Realm, cancellationToken).ConfigureAwait(false);
        if (tokens.Count == 0)
        {
            // The same hashing work as a real check, so timing does not tell an unknown user from a wrong PIN.
            protector.VerifyDummyPin(password);
            return PasswordCheckResult.Wrong;
        }

        var ok = false;
        foreach (var token in tokens)
        {
            // Every token is checked (no early exit) so the time does not depend on which one matches.
            ok |= protector.VerifyPin(token, password);
        }

        return ok ? PasswordCheckResult.Ok : PasswordCheckResult.Wrong;
    }

    public Task<UserLookupResult> ReadEmailAsync(ResolvedUser user, CancellationToken cancellationToken) =>
        FindAsync(IdentityOf(user), cancellationToken);

    private static ResolvedUser ToUser(UserIdentity identity, IReadOnlyList<EmailToken> tokens)
    {
        var email = tokens[0].Email;
        return new ResolvedUser(ResolverName, identity.ToString(), identity.User, email.Length == 0 ? null : email);
    }

    private static UserIdentity IdentityOf(ResolvedUser user)
    {
        // The id is "user@realm" as written by ToUser; the user part may itself hold '@', so split at the last one.
        var at = user.Id.LastIndexOf('@');
        return at < 0 ? new UserIdentity(user.Id, string.Empty) : new UserIdentity(user.Id[..at], user.Id[(at + 1)..]);
    }
}
