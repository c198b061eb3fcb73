namespace RadiusEmailOtp.Otp.Realms;

/// <summary>
/// Splits a RADIUS User-Name into user and realm. The split is at the last separator, so a user part may itself hold
/// the separator. Realms are DNS-like names and compared case-insensitively, so they are lowercased. User names are
/// lowercased too: the directories behind VPN logins (LDAP, AD) match names case-insensitively, so users type "Alice"
/// and "alice" interchangeably, and policies already compare them that way; tokens are stored under the folded name.
/// </summary>
public sealed class RealmResolver(RealmSettings settings)
{
    public RealmSettings Settings { get; } = settings;

    public UserIdentity Resolve(string userName)
    {
        var text = userName.Trim();
        var separator = Settings.Separator;
        var at = separator.Length == 0 ? -1 : text.LastIndexOf(separator, StringComparison.Ordinal);
        if (at >= 0)
        {
            var realm = text[(at + separator.Length)..].Trim();
            return new UserIdentity(NormaliseUser(text[..at]), NormaliseRealm(realm.Length == 0 ? Settings.Default : realm));
        }

        return new UserIdentity(NormaliseUser(text), NormaliseRealm(Settings.Default));
    }

    public static string NormaliseRealm(string realm) => realm.Trim().ToLowerInvariant();

    /// <summary>The stored form of a user name: trimmed and lowercased with the invariant culture (as the migration does).</summary>
    public static string NormaliseUser(string user) => user.Trim().ToLowerInvariant();
}
