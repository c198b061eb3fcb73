namespace RadiusEmailOtp.Otp.Policies;

/// <summary>
/// One entry of a policy's <c>user</c> or <c>realm</c> list: a name, <c>*</c>, a wildcard such as <c>a*</c>,
/// or for users <c>name@realm</c> / <c>*@realm</c>; <c>!</c> or <c>-</c> in front negates it.
/// Names compare case-insensitively (directory user names and realms are case-insensitive).
/// </summary>
public sealed record PolicyNamePattern(string Pattern, string? Realm, bool Negated)
{
    /// <summary>How specific a match is: 2 exact name, 1 wildcard with literal text, 0 a bare <c>*</c>.</summary>
    public int Specificity => Pattern == "*" ? 0 : Pattern.Contains('*', StringComparison.Ordinal) ? 1 : 2;

    /// <summary>Parses one list entry; <paramref name="allowRealm"/> enables the <c>name@realm</c> form (user lists).</summary>
    public static PolicyNamePattern Parse(string text, bool allowRealm)
    {
        var entry = text.Trim();
        var negated = entry.Length > 0 && entry[0] is '!' or '-';
        if (negated)
        {
            entry = entry[1..].Trim();
        }

        string? realm = null;
        var at = allowRealm ? entry.LastIndexOf('@') : -1;
        if (at >= 0)
        {
            realm = entry[(at + 1)..];
            entry = entry[..at];
            if (entry.Length == 0)
            {
                entry = "*";
            }
        }

        return new PolicyNamePattern(entry, realm, negated);
    }

    /// <summary>True when <paramref name="name"/> (and <paramref name="realm"/>, for <c>name@realm</c>) match.</summary>
    public bool Matches(string name, string realm)
    {
        if (Realm is not null && !string.Equals(Realm, realm, StringComparison.OrdinalIgnoreCase) && Realm != "*")
        {
            return false;
        }

        return WildcardMatch(Pattern, name);
    }

    /// <summary>Glob match where <c>*</c> is any run of characters; iterative so a hostile pattern cannot recurse deeply.</summary>
    internal static bool WildcardMatch(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    public override string ToString() =>
        (Negated ? "!" : string.Empty) + Pattern + (Realm is null ? string.Empty : "@" + Realm);
}
