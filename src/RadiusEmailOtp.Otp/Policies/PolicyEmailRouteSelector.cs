using System.Net;
using RadiusEmailOtp.Otp.Email;

namespace RadiusEmailOtp.Otp.Policies;

/// <summary>
/// Chooses the e-mail route from the <c>[[policy]]</c> table. Each action key (provider list, subject, text, prompt)
/// is resolved on its own: the most specific active policy that matches the request <em>and sets that key</em> wins,
/// so a broad policy can set the subject while a narrow one picks the provider. No policy sets the provider →
/// the default provider.
/// </summary>
public sealed class PolicyEmailRouteSelector : IEmailRouteSelector
{
    private readonly IReadOnlyList<EmailPolicy> _policies;
    private readonly string? _defaultProvider;

    public PolicyEmailRouteSelector(IReadOnlyList<EmailPolicy> policies, string? defaultProvider)
    {
        _policies = policies;
        _defaultProvider = defaultProvider;
    }

    public EmailRoute Select(string user, string realm, string resolver, IPAddress? client)
    {
        var matches = new List<PolicyMatch>();
        foreach (var policy in _policies)
        {
            // A policy that only sets reply_attributes says nothing about mail, so it cannot name the mail's policy either.
            if (policy.Active && !IsReplyOnly(policy.Actions) && TryMatch(policy, user, realm, resolver, client) is { } match)
            {
                matches.Add(match);
            }
        }

        matches.Sort();
        var providers = First(matches, a => a.EmailProviders);
        return new EmailRoute(
            providers.Value ?? (_defaultProvider is null ? [] : [_defaultProvider]),
            First(matches, a => a.EmailSubject).Value,
            First(matches, a => a.EmailText).Value,
            First(matches, a => a.ChallengePrompt).Value,
            providers.Policy ?? matches.FirstOrDefault().Policy?.Name);
    }

    /// <summary>
    /// Pairs of active policies that can tie for some request (both match it with equal specificity and priority) yet
    /// set a key to different values. Check-config warns about them; at run time the name decides. The overlap test
    /// is an approximation that errs towards warning (see <see cref="PolicyOverlap"/>).
    /// </summary>
    public static IReadOnlyList<string> FindContradictions(IReadOnlyList<EmailPolicy> policies)
    {
        var result = new List<string>();
        var active = policies.Where(p => p.Active).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        for (var i = 0; i < active.Count; i++)
        {
            for (var j = i + 1; j < active.Count; j++)
            {
                var (a, b) = (active[i], active[j]);
                if (!PolicyOverlap.CanTie(a, b))
                {
                    continue;
                }

                Compare(result, a, b, "email_provider", a.Actions.EmailProviders is null ? null : string.Join(' ', a.Actions.EmailProviders), b.Actions.EmailProviders is null ? null : string.Join(' ', b.Actions.EmailProviders));
                Compare(result, a, b, "emailsubject", a.Actions.EmailSubject, b.Actions.EmailSubject);
                Compare(result, a, b, "emailtext", a.Actions.EmailText, b.Actions.EmailText);
                Compare(result, a, b, "email_challenge_prompt", a.Actions.ChallengePrompt, b.Actions.ChallengePrompt);
                Compare(result, a, b, "reply_attributes", Join(a.Actions.ReplyAttributes), Join(b.Actions.ReplyAttributes));
            }
        }

        return result;
    }

    /// <summary>
    /// How specifically <paramref name="policy"/> matches the request of <paramref name="user"/> in
    /// <paramref name="realm"/>, found in <paramref name="resolver"/>; null when it does not match.
    /// </summary>
    internal static PolicyMatch? TryMatch(EmailPolicy policy, string user, string realm, string resolver, IPAddress? client)
    {
        var userScore = MatchNames(policy.Users, p => p.Matches(user, realm, resolver), p => p.UserScore);
        if (userScore is null)
        {
            return null;
        }

        var realmScore = MatchNames(policy.Realms, p => p.Matches(realm, realm, resolver), p => p.Specificity);
        if (realmScore is null)
        {
            return null;
        }

        // A negated entry always excludes, even beside "*" (LinOTP let "*" win: behaviour.md §4, G15).
        int? clientScore = -1;
        var anyPositive = false;
        foreach (var pattern in policy.Clients)
        {
            var prefix = pattern.Match(client);
            if (pattern.Negated)
            {
                if (prefix is not null && pattern.Network is not null)
                {
                    return null;
                }
            }
            else
            {
                clientScore = anyPositive ? clientScore : null;
                anyPositive = true;
                if (prefix is not null && (clientScore is null || prefix > clientScore))
                {
                    clientScore = prefix;
                }
            }
        }

        return clientScore is null ? null : new PolicyMatch(policy, userScore.Value, realmScore.Value, clientScore.Value);
    }

    // Null when excluded or no positive entry matches; a list of only negations (or none) behaves like "*".
    private static int? MatchNames(IReadOnlyList<PolicyNamePattern> patterns, Func<PolicyNamePattern, bool> matches, Func<PolicyNamePattern, int> score)
    {
        int? best = null;
        var anyPositive = false;
        foreach (var pattern in patterns)
        {
            var hit = matches(pattern);
            if (pattern.Negated)
            {
                if (hit)
                {
                    return null;
                }

                continue;
            }

            anyPositive = true;
            if (hit && (best is null || score(pattern) > best))
            {
                best = score(pattern);
            }
        }

        return anyPositive ? best : 0;
    }

    private static (T? Value, string? Policy) First<T>(List<PolicyMatch> sorted, Func<PolicyActions, T?> key)
        where T : class
    {
        foreach (var match in sorted)
        {
            if (key(match.Policy.Actions) is { } value)
            {
                return (value, match.Policy.Name);
            }
        }

        return (null, null);
    }

    private static bool IsReplyOnly(PolicyActions actions) =>
        actions.ReplyAttributes is not null && actions.EmailProviders is null && actions.EmailSubject is null
        && actions.EmailText is null && actions.ChallengePrompt is null;

    private static string? Join(IReadOnlyList<string>? items) => items is null ? null : string.Join('\n', items);

    private static void Compare(List<string> result, EmailPolicy a, EmailPolicy b, string key, string? x, string? y)
    {
        if (x is not null && y is not null && x != y)
        {
            result.Add($"policies \"{a.Name}\" and \"{b.Name}\" can match the same request with the same specificity and priority but set {key} differently; \"{a.Name}\" wins (by name)");
        }
    }
}
