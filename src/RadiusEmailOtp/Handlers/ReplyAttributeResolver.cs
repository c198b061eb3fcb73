using System.Net;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Otp.Policies;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Radius.Dictionary;
using RadiusEmailOtp.Radius.Replies;

namespace RadiusEmailOtp.Handlers;

/// <summary>
/// The attributes an Access-Accept carries: the <c>reply_attributes</c> of the most specific matching policy that sets them,
/// then those of the client whose attribute the policy's list does not name (the policy is the more specific rule; a client
/// list is the NAS's default). Every list is compiled once against the dictionary; a request only fills in the placeholders.
/// </summary>
internal sealed class ReplyAttributeResolver
{
    private readonly PolicyReplyAttributeSelector _selector;
    private readonly Dictionary<string, IReadOnlyList<ReplyAttributeTemplate>> _policies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ReplyAttributeTemplate>> _clients = new(StringComparer.Ordinal);

    /// <summary>Compiles the lists; they were checked when the configuration was loaded, so a failure here is a bug.</summary>
    public ReplyAttributeResolver(IReadOnlyList<EmailPolicy> policies, IReadOnlyList<ClientSettings> clients, RadiusDictionary dictionary)
    {
        _selector = new PolicyReplyAttributeSelector(policies);
        foreach (var policy in policies)
        {
            if (policy.Actions.ReplyAttributes is { } items)
            {
                _policies[policy.Name] = Compile(items, dictionary, $"policy \"{policy.Name}\"");
            }
        }

        foreach (var client in clients)
        {
            if (client.ReplyAttributes.Count > 0)
            {
                _clients[client.Name] = Compile(client.ReplyAttributes, dictionary, $"client \"{client.Name}\"");
            }
        }
    }

    /// <summary>A resolver that adds nothing (no reply attributes configured).</summary>
    public static ReplyAttributeResolver Empty { get; } = new([], [], null!);

    /// <summary>
    /// The attributes for <paramref name="user"/>@<paramref name="realm"/> (found in <paramref name="resolver"/>) accepted
    /// through <paramref name="client"/> at <paramref name="address"/>.
    /// </summary>
    public ReplyAttributeResult Resolve(string user, string realm, string resolver, IPAddress address, string client)
    {
        var policy = _policies.Count == 0 ? null : _selector.Select(user, realm, resolver, address);
        var fromPolicy = policy is null ? [] : _policies[policy.Name];
        var fromClient = _clients.GetValueOrDefault(client) ?? [];
        if (fromPolicy.Count == 0 && fromClient.Count == 0)
        {
            return policy is null ? ReplyAttributeResult.None : new ReplyAttributeResult([], policy.Name, null);
        }

        var attributes = new List<RadiusAttribute>(fromPolicy.Count + fromClient.Count);
        var named = new HashSet<string>(fromPolicy.Select(t => t.Attribute.Oid), StringComparer.Ordinal);
        foreach (var template in fromPolicy.Concat(fromClient.Where(t => !named.Contains(t.Attribute.Oid))))
        {
            if (!template.TryRender(user, realm, out var attribute, out var problem))
            {
                return new ReplyAttributeResult([], policy?.Name, $"\"{template.Text}\": {problem}");
            }

            attributes.Add(attribute);
        }

        return new ReplyAttributeResult(attributes, policy?.Name, null);
    }

    private static List<ReplyAttributeTemplate> Compile(IReadOnlyList<string> items, RadiusDictionary dictionary, string owner)
    {
        var result = new List<ReplyAttributeTemplate>(items.Count);
        foreach (var item in items)
        {
            result.Add(ReplyAttributeTemplate.Parse(dictionary, item, out var error)
                ?? throw new InvalidOperationException($"{owner} reply_attributes \"{item}\": {error}"));
        }

        return result;
    }
}
