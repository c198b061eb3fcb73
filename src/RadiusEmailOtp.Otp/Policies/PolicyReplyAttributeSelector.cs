using System.Net;

namespace RadiusEmailOtp.Otp.Policies;

/// <summary>
/// Chooses the <c>reply_attributes</c> of an accepted login like any other action: the most specific active policy that
/// matches the request and sets the key wins (behaviour.md §4), whole list and all; a broader policy's list is not merged in.
/// </summary>
public sealed class PolicyReplyAttributeSelector
{
    private readonly IReadOnlyList<EmailPolicy> _policies;

    public PolicyReplyAttributeSelector(IReadOnlyList<EmailPolicy> policies)
    {
        _policies = policies.Where(p => p.Active && p.Actions.ReplyAttributes is not null).ToList();
    }

    /// <summary>
    /// The winning policy for <paramref name="user"/> of <paramref name="realm"/>, found in <paramref name="resolver"/>,
    /// or null when no matching policy sets reply_attributes.
    /// </summary>
    public EmailPolicy? Select(string user, string realm, string resolver, IPAddress? client)
    {
        PolicyMatch? best = null;
        foreach (var policy in _policies)
        {
            if (PolicyEmailRouteSelector.TryMatch(policy, user, realm, resolver, client) is { } match && (best is null || match.CompareTo(best.Value) < 0))
            {
                best = match;
            }
        }

        return best?.Policy;
    }
}
