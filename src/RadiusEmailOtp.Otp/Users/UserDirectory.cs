using RadiusEmailOtp.Otp.Realms;

namespace RadiusEmailOtp.Otp.Users;

/// <summary>
/// The resolvers of each realm in their configured order (issue 9: <c>[realms."example.com"] resolvers = ["corp",
/// "local"]</c>, first match wins); a realm without an entry uses <c>local</c> alone. A resolver that cannot be asked
/// ends the search as unavailable: falling through to the next one would let an outage of the directory decide whose
/// account a name is.
/// </summary>
public sealed class UserDirectory
{
    private readonly Dictionary<string, IReadOnlyList<IUserResolver>> _byRealm;
    private readonly IReadOnlyList<IUserResolver> _default;

    public UserDirectory(IUserResolver local, IReadOnlyDictionary<string, IReadOnlyList<IUserResolver>>? realms = null)
    {
        _default = [local];
        _byRealm = new Dictionary<string, IReadOnlyList<IUserResolver>>(StringComparer.Ordinal);
        foreach (var (realm, resolvers) in realms ?? new Dictionary<string, IReadOnlyList<IUserResolver>>())
        {
            _byRealm[RealmResolver.NormaliseRealm(realm)] = resolvers;
        }
    }

    /// <summary>The resolvers asked for a user of <paramref name="realm"/>, in order.</summary>
    public IReadOnlyList<IUserResolver> For(string realm) =>
        _byRealm.TryGetValue(RealmResolver.NormaliseRealm(realm), out var resolvers) ? resolvers : _default;

    /// <summary>The first resolver of the user's realm that knows the user; unavailable as soon as one cannot be asked.</summary>
    public async Task<UserLookupResult> FindAsync(UserIdentity identity, CancellationToken cancellationToken)
    {
        foreach (var resolver in For(identity.Realm))
        {
            var result = await resolver.FindAsync(identity, cancellationToken).ConfigureAwait(false);
            if (result.Status != UserLookupStatus.NotFound)
            {
                return result;
            }
        }

        return UserLookupResult.NotFound;
    }
}
