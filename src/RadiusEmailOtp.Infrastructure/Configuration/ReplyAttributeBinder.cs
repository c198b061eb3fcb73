using RadiusEmailOtp.Infrastructure.Configuration.Toml;
using RadiusEmailOtp.Radius.Replies;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// Reads a <c>reply_attributes</c> list (in <c>[[policy]]</c> and <c>[[client]]</c>) and checks every item against the
/// dictionary: unknown names, values of the wrong type, attributes the server owns. Each error names the item's own line.
/// </summary>
public static class ReplyAttributeBinder
{
    public const string Key = "reply_attributes";

    /// <summary>Octets an Access-Accept leaves for attributes: 4096 (RFC 2865 §3) less the header (20) and Message-Authenticator (18).</summary>
    public const int MaxAttributeOctets = 4096 - 20 - 18;

    /// <summary>The items as configured, or null when the key is absent; an empty list is kept (a policy that sets "no attributes").</summary>
    public static IReadOnlyList<string>? Bind(ConfigSection section, ConfigDictionary dictionary)
    {
        switch (section.Node(Key))
        {
            case null:
                return null;
            case TomlArrayNode array:
                var items = new List<string>(array.Items.Count);
                foreach (var item in array.Items)
                {
                    if (item is TomlScalarNode { Value: string text })
                    {
                        items.Add(text);
                    }
                    else
                    {
                        section.Diagnostics.Error(item.Line, $"{section.Name} {Key}: every element must be a string such as \"Class = \\\"vpn\\\"\", found {item.TypeName}");
                    }
                }

                Check(section, array, items, dictionary);
                return items;
            case var other:
                section.Error(Key, $"expected an array of strings such as [\"Filter-Id = \\\"staff\\\"\"], found {other.TypeName}");
                return null;
        }
    }

    /// <summary>The octets the items take at least (placeholders empty); null when the dictionary is missing or an item is bad.</summary>
    public static int? StaticSize(IReadOnlyList<string> items, ConfigDictionary dictionary)
    {
        if (dictionary.Get() is not { } loaded)
        {
            return null;
        }

        var size = 0;
        foreach (var item in items)
        {
            if (ReplyAttributeTemplate.Parse(loaded, item, out _) is not { } template)
            {
                return null;
            }

            size += template.StaticWireLength;
        }

        return size;
    }

    /// <summary>
    /// A client's list goes out together with the winning policy's, so a client list plus the largest policy list that may
    /// not fit is worth a warning (the server rejects such a login at run time and logs why).
    /// </summary>
    public static void WarnAboutCombinedSize(IReadOnlyList<ConfigSection> clientSections, IReadOnlyList<Otp.Policies.EmailPolicy> policies, ConfigDictionary dictionary, ConfigDiagnostics diagnostics)
    {
        var largestPolicy = policies
            .Where(p => p.Actions.ReplyAttributes is not null)
            .Select(p => (Policy: p, Size: StaticSize(p.Actions.ReplyAttributes!, dictionary) ?? 0))
            .OrderByDescending(p => p.Size)
            .FirstOrDefault();
        if (largestPolicy.Policy is null)
        {
            return;
        }

        foreach (var section in clientSections)
        {
            if (section.Table[Key] is TomlArrayNode array
                && StaticSize([.. array.Items.OfType<TomlScalarNode>().Select(i => i.Value).OfType<string>()], dictionary) is { } clientSize
                && clientSize > 0
                && clientSize + largestPolicy.Size > MaxAttributeOctets)
            {
                diagnostics.Warning(array.Line, $"{section.Name} {Key}: with the attributes of policy \"{largestPolicy.Policy.Name}\" an Access-Accept would take {clientSize + largestPolicy.Size} octets of attributes, more than the {MaxAttributeOctets} a RADIUS packet leaves; such logins are rejected");
            }
        }
    }

    private static void Check(ConfigSection section, TomlArrayNode array, List<string> items, ConfigDictionary dictionary)
    {
        if (items.Count == 0 || dictionary.Get() is not { } loaded)
        {
            return;
        }

        var size = 0;
        var lines = array.Items.OfType<TomlScalarNode>().Where(i => i.Value is string).Select(i => i.Line).ToList();
        for (var i = 0; i < items.Count; i++)
        {
            if (ReplyAttributeTemplate.Parse(loaded, items[i], out var error) is { } template)
            {
                size += template.StaticWireLength;
            }
            else
            {
                section.Diagnostics.Error(lines[i], $"{section.Name} {Key}: \"{items[i]}\": {error}");
            }
        }

        if (size > MaxAttributeOctets)
        {
            section.Error(Key, $"the attributes take {size} octets; an Access-Accept leaves {MaxAttributeOctets} for attributes (4096 in all, RFC 2865 §3)");
        }
    }
}
