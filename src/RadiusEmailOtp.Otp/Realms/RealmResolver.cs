namespace RadiusEmailOtp.Otp.Realms;

/// <summary>
/// Splits a RADIUS User-Name into user and realm. The split is at the last separator, so a user part may itself hold
/// the separator. Realms are DNS-like names and compared case-insensitively, so they are lowercased; user names keep
/// their case because the directories behind LinOTP differ on that, and a silent case fold could merge two users.
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
            return new UserIdentity(text[..at].Trim(), NormaliseRealm(realm.Length == 0 ? Settings.Default : realm));
        }

        return new UserIdentity(text, NormaliseRealm(Settings.Default));
    }

    public static string NormaliseRealm(string realm) => realm.Trim().ToLowerInvariant();
}
