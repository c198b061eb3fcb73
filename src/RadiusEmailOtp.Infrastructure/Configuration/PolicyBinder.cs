using RadiusEmailOtp.Infrastructure.Configuration.Toml;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Policies;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Binds the <c>[[policy]]</c> tables (behaviour.md §4) into <see cref="EmailPolicy"/> values.</summary>
public static class PolicyBinder
{
    /// <summary>
    /// Binds the policies and checks them against <paramref name="providerNames"/> and each other; <c>reply_attributes</c>
    /// are checked against <paramref name="dictionary"/>, the resolver forms of <c>user</c> (<c>corp:</c>, <c>alice.corp:</c>)
    /// against <paramref name="resolverNames"/>. A policy needs an <c>action</c>, <c>reply_attributes</c> or both.
    /// </summary>
    public static IReadOnlyList<EmailPolicy> Bind(
        IReadOnlyList<ConfigSection> sections,
        IReadOnlyCollection<string> providerNames,
        ResolverNames resolverNames,
        ConfigDictionary dictionary,
        ConfigDiagnostics diagnostics)
    {
        var policies = new List<EmailPolicy>();
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            var name = section.RequiredString("name");
            section.Choice("scope", "authentication", "authentication");
            var replyAttributes = ReplyAttributeBinder.Bind(section, dictionary);
            var action = replyAttributes is null || section.Has("action") ? section.RequiredString("action") : string.Empty;
            var users = List(section, "user").Select(u => PolicyNamePattern.Parse(u, allowRealm: true)).ToList();
            CheckResolvers(section, users, resolverNames);
            var realms = List(section, "realm").Select(r => PolicyNamePattern.Parse(r, allowRealm: false)).ToList();
            var clients = Clients(section);
            var active = section.Bool("active", true);
            var priority = section.Int("priority", 0, 0, 1_000_000);
            section.ReportUnknownKeys();

            var errors = new List<string>();
            var warnings = new List<string>();
            var actions = PolicyActionParser.Parse(action, errors, warnings) with { ReplyAttributes = replyAttributes };
            errors.ForEach(e => section.Error("action", e));
            warnings.ForEach(w => section.Warning("action", w));

            if (name.Length > 0 && !names.Add(name))
            {
                section.Diagnostics.Error(section.Line, $"{section.Name}: a policy named \"{name}\" is already defined (names are unique)");
                continue;
            }

            foreach (var provider in actions.EmailProviders ?? [])
            {
                if (!providerNames.Contains(provider))
                {
                    section.Error("action", $"email_provider names \"{provider}\", which is not a configured [[email_provider]]");
                }
            }

            CheckPlaceholders(section, "emailsubject", actions.EmailSubject);
            CheckPlaceholders(section, "emailtext", actions.EmailText);
            foreach (var unknown in actions.ChallengePrompt is null ? [] : PromptPlaceholders.FindUnknown(actions.ChallengePrompt))
            {
                section.Error("action", $"email_challenge_prompt uses unknown placeholder ${{{unknown}}}; known: {PromptPlaceholders.Describe()}");
            }

            if (actions.ChallengePrompt is not null && PromptPlaceholders.LengthWarning(actions.ChallengePrompt) is { } tooLong)
            {
                section.Warning("action", "email_challenge_prompt: " + tooLong);
            }

            lines[name] = section.Line;
            policies.Add(new EmailPolicy(name, users, realms, clients, actions, active, priority, $"{section.Diagnostics.File}:{section.Line}"));
        }

        foreach (var contradiction in PolicyEmailRouteSelector.FindContradictions(policies))
        {
            var first = policies.First(p => contradiction.Contains($"\"{p.Name}\" and", StringComparison.Ordinal));
            diagnostics.Warning(lines[first.Name], "[[policy]]: " + contradiction);
        }

        return policies;
    }

    private static void CheckResolvers(ConfigSection section, List<PolicyNamePattern> users, ResolverNames known)
    {
        foreach (var user in users.Where(u => u.Resolver is not null))
        {
            if (user.Resolver!.Length == 0)
            {
                section.Error("user", $"\"{user}\" needs a resolver name before the ':' (resolver: or name.resolver:)");
            }
            else if (user.Pattern.Length == 0)
            {
                section.Error("user", $"\"{user}\" needs a user name before the '.' (name.resolver:), or no '.' at all for every user of {user.Resolver}");
            }
            else if (known.Find(user.Resolver) is null)
            {
                section.Error("user", $"\"{user}\" names resolver \"{user.Resolver}\", which is not a resolver (known: {known})");
            }
        }
    }

    private static void CheckPlaceholders(ConfigSection section, string key, string? text)
    {
        foreach (var unknown in text is null ? [] : Email.MailPlaceholders.FindUnknown(text))
        {
            section.Error("action", $"{key} uses unknown placeholder ${{{unknown}}}; known: {string.Join(", ", Email.MailPlaceholders.Known.Select(k => "${" + k + "}"))}");
        }
    }

    // LinOTP writes lists as one comma-separated string; a TOML array is accepted too.
    private static List<string> List(ConfigSection section, string key)
    {
        var raw = section.Node(key) is TomlArrayNode ? section.StringList(key, []) : [section.String(key) ?? string.Empty];
        return raw.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
    }

    private static List<PolicyClientPattern> Clients(ConfigSection section)
    {
        var result = new List<PolicyClientPattern>();
        foreach (var entry in List(section, "client"))
        {
            var negated = entry[0] is '!' or '-';
            var body = negated ? entry[1..].Trim() : entry;
            if (body == "*")
            {
                result.Add(new PolicyClientPattern(null, negated));
            }
            else if (NetworkParser.TryParse(body, out var network, out var error))
            {
                result.Add(new PolicyClientPattern(network, negated));
            }
            else
            {
                section.Error("client", error!);
            }
        }

        return result;
    }
}
