namespace RadiusEmailOtp.Otp.Policies;

/// <summary>
/// Decides, without enumerating requests, whether two policies of equal priority can match one request (user, realm,
/// client) with the same specificity, so that only their names separate them (behaviour.md §4: a check-config warning).
/// It compares entry by entry: for each dimension it looks for one positive entry in each policy that score the same
/// and can match a common value; two resolver forms of different resolvers never share a user. What it cannot see,
/// so it may warn where no real tie exists: two wildcards with the same literal prefix and suffix are assumed to share
/// a name even when their middle parts differ; only exact negations
/// (<c>!alice</c>, <c>!10.0.0.0/8</c> covering the entry) are taken into account; and a common value found through one
/// pair of entries may in fact be matched more specifically by another entry of the same policy.
/// </summary>
internal static class PolicyOverlap
{
    public static bool CanTie(EmailPolicy a, EmailPolicy b) =>
        a.Priority == b.Priority
        && NamesCanTie(a.Users, b.Users, p => p.UserScore)
        && NamesCanTie(a.Realms, b.Realms, p => p.Specificity)
        && ClientsCanTie(a.Clients, b.Clients);

    private static bool NamesCanTie(IReadOnlyList<PolicyNamePattern> a, IReadOnlyList<PolicyNamePattern> b, Func<PolicyNamePattern, int> score)
    {
        foreach (var x in Positive(a))
        {
            foreach (var y in Positive(b))
            {
                if (score(x) == score(y) && Overlap(x, y) && !ExcludedBy(x, b) && !ExcludedBy(y, a))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // A list without a positive entry matches everyone at the lowest score, like "*".
    private static IEnumerable<PolicyNamePattern> Positive(IReadOnlyList<PolicyNamePattern> patterns)
    {
        var positive = patterns.Where(p => !p.Negated).ToList();
        return positive.Count > 0 ? positive : [new PolicyNamePattern("*", null, false)];
    }

    private static bool Overlap(PolicyNamePattern x, PolicyNamePattern y)
    {
        if (x.Realm is not null && y.Realm is not null && x.Realm != "*" && y.Realm != "*"
            && !string.Equals(x.Realm, y.Realm, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Two resolver forms of different resolvers never see the same user (a user is found in one resolver).
        if (x.Resolver is not null && y.Resolver is not null && !string.Equals(x.Resolver, y.Resolver, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (x.Specificity == 2 || y.Specificity == 2)
        {
            return x.Specificity == 2 ? PolicyNamePattern.WildcardMatch(y.Pattern, x.Pattern) : PolicyNamePattern.WildcardMatch(x.Pattern, y.Pattern);
        }

        // Two globs: compatible literal prefixes and suffixes (see the class remarks for what this misses).
        var (xPrefix, xSuffix) = Ends(x.Pattern);
        var (yPrefix, ySuffix) = Ends(y.Pattern);
        return (xPrefix.StartsWith(yPrefix, StringComparison.OrdinalIgnoreCase) || yPrefix.StartsWith(xPrefix, StringComparison.OrdinalIgnoreCase))
            && (xSuffix.EndsWith(ySuffix, StringComparison.OrdinalIgnoreCase) || ySuffix.EndsWith(xSuffix, StringComparison.OrdinalIgnoreCase));
    }

    private static (string Prefix, string Suffix) Ends(string pattern) =>
        (pattern[..pattern.IndexOf('*', StringComparison.Ordinal)], pattern[(pattern.LastIndexOf('*') + 1)..]);

    // Only an exact entry can be seen to be excluded: "!alice" against "alice" (or "alice.corp:"), "!corp:" against "corp:".
    private static bool ExcludedBy(PolicyNamePattern entry, IReadOnlyList<PolicyNamePattern> other) =>
        (entry.Specificity == 2 && other.Any(n => n.Negated && n.Matches(entry.Pattern, entry.Realm ?? "*", entry.Resolver ?? "*")))
        || (entry is { Pattern: "*", Resolver: { } resolver } && other.Any(n => n is { Negated: true, Pattern: "*", Realm: null }
            && string.Equals(n.Resolver, resolver, StringComparison.OrdinalIgnoreCase)));

    private static bool ClientsCanTie(IReadOnlyList<PolicyClientPattern> a, IReadOnlyList<PolicyClientPattern> b)
    {
        // Equal prefix lengths that overlap are the same network; "*" (or no positive entry) ties only with "*".
        foreach (var x in PositiveClients(a))
        {
            foreach (var y in PositiveClients(b))
            {
                if (Equals(x.Network, y.Network) && !ClientExcluded(x, a) && !ClientExcluded(x, b))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static IEnumerable<PolicyClientPattern> PositiveClients(IReadOnlyList<PolicyClientPattern> patterns)
    {
        var positive = patterns.Where(p => !p.Negated).ToList();
        return positive.Count > 0 ? positive : [new PolicyClientPattern(null, false)];
    }

    private static bool ClientExcluded(PolicyClientPattern entry, IReadOnlyList<PolicyClientPattern> list) =>
        entry.Network is { } network && list.Any(n => n.Negated && n.Network is { } excluded
            && excluded.PrefixLength <= network.PrefixLength && excluded.Contains(network.BaseAddress));
}
