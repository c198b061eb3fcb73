namespace RadiusEmailOtp.Otp.Policies;

/// <summary>
/// How specifically a policy matched one request. Compared field by field: user, then realm, then client
/// prefix (most specific first), then the lower priority, then the name (deterministic tie break).
/// </summary>
internal readonly record struct PolicyMatch(EmailPolicy Policy, int User, int Realm, int Client) : IComparable<PolicyMatch>
{
    /// <summary>Negative when this match should win over <paramref name="other"/>.</summary>
    public int CompareTo(PolicyMatch other)
    {
        var c = other.User.CompareTo(User);
        c = c != 0 ? c : other.Realm.CompareTo(Realm);
        c = c != 0 ? c : other.Client.CompareTo(Client);
        c = c != 0 ? c : Policy.Priority.CompareTo(other.Policy.Priority);
        return c != 0 ? c : string.CompareOrdinal(Policy.Name, other.Policy.Name);
    }

    /// <summary>True when the two matches are equally specific and equally prioritised (only the name separates them).</summary>
    public bool Ties(PolicyMatch other) =>
        User == other.User && Realm == other.Realm && Client == other.Client && Policy.Priority == other.Policy.Priority;
}
