namespace RadiusEmailOtp.Otp.Policies;

/// <summary>
/// One entry of a policy's <c>user</c> or <c>realm</c> list: a name, <c>*</c>, a wildcard such as <c>a*</c>,
/// or for users <c>name@realm</c> / <c>*@realm</c>, <c>resolver:</c> (every user of that resolver) and
/// <c>name.resolver:</c> (that user, found in that resolver); <c>!</c> or <c>-</c> in front negates it.
/// Names compare case-insensitively (directory user names, realms and resolver names are case-insensitive).
/// </summary>
public sealed record PolicyNamePattern(string Pattern, string? Realm, bool Negated)
{
    /// <summary>The resolver of the <c>resolver:</c> and <c>name.resolver:</c> forms; null for every other form.</summary>
    public string? Resolver { get; init; }

    /// <summary>How specific the name part is: 2 exact name, 1 wildcard with literal text, 0 a bare <c>*</c>.</summary>
    public int Specificity => Pattern == "*" ? 0 : Pattern.Contains('*', StringComparison.Ordinal) ? 1 : 2;

    /// <summary>
    /// The rank of a user entry: the name part first, then the qualifier, a resolver over a realm over none. From least
    /// to most specific: <c>*</c>, <c>*@realm</c>, <c>resolver:</c>, <c>a*</c>, <c>a*@realm</c>, <c>a*.resolver:</c>,
    /// <c>alice</c>, <c>alice@realm</c>, <c>alice.resolver:</c>.
    /// </summary>
    internal int UserScore => (Specificity * 3) + (Resolver is not null ? 2 : Realm is null or "*" ? 0 : 1);

    /// <summary>
    /// Parses one list entry; <paramref name="allowRealm"/> enables the user-list forms (<c>name@realm</c>,
    /// <c>resolver:</c>, <c>name.resolver:</c>). An entry ending in ':' is a resolver form; its resolver name is after
    /// the last '.', so a user name may hold dots. Whether the resolver exists is the binder's check.
    /// </summary>
    public static PolicyNamePattern Parse(string text, bool allowRealm)
    {
        var entry = text.Trim();
        var negated = entry.Length > 0 && entry[0] is '!' or '-';
        if (negated)
        {
            entry = entry[1..].Trim();
        }

        if (allowRealm && entry.EndsWith(':'))
        {
            var body = entry[..^1];
            var dot = body.LastIndexOf('.');
            return dot < 0
                ? new PolicyNamePattern("*", null, negated) { Resolver = body }
                : new PolicyNamePattern(body[..dot], null, negated) { Resolver = body[(dot + 1)..] };
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

    /// <summary>
    /// True when <paramref name="name"/> matches, and <paramref name="realm"/> for <c>name@realm</c>, and
    /// <paramref name="resolver"/> (the resolver the user was found in) for the resolver forms.
    /// </summary>
    public bool Matches(string name, string realm, string resolver)
    {
        if (Realm is not null && !string.Equals(Realm, realm, StringComparison.OrdinalIgnoreCase) && Realm != "*")
        {
            return false;
        }

        if (Resolver is not null && !string.Equals(Resolver, resolver, StringComparison.OrdinalIgnoreCase))
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

    public override string ToString()
    {
        var sign = Negated ? "!" : string.Empty;
        if (Resolver is not null)
        {
            return sign + (Pattern == "*" ? string.Empty : Pattern + ".") + Resolver + ":";
        }

        return sign + Pattern + (Realm is null ? string.Empty : "@" + Realm);
    }
}
