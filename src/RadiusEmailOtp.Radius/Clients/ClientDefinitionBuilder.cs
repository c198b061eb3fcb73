using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RadiusEmailOtp.Radius.Clients;

/// <summary>Turns the pairs of one <c>client</c> section into a <see cref="ClientDefinition"/>.</summary>
internal static class ClientDefinitionBuilder
{
    public static bool TryBuild(
        string name,
        List<(string Key, string Value, int Line)> pairs,
        string file,
        int line,
        List<ClientsConfError> errors,
        out ClientDefinition client)
    {
        client = null!;
        var errorCount = errors.Count;
        string? address = null;
        string? addressKey = null;
        var addressLine = line;
        int? netmask = null;
        string? secret = null;
        string? requireMa = null;
        string? limitProxyState = null;
        string? shortName = null;
        string? nasType = null;

        foreach (var (key, value, pairLine) in pairs)
        {
            switch (key.ToLowerInvariant())
            {
                case "ipaddr" or "ipv4addr" or "ipv6addr":
                    if (addressKey is not null)
                    {
                        errors.Add(new(file, pairLine, $"client {name} has a second address ({key}); {addressKey} was given before"));
                        break;
                    }

                    (address, addressKey, addressLine) = (value, key.ToLowerInvariant(), pairLine);
                    break;
                case "netmask":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var mask) || mask > 128)
                    {
                        errors.Add(new(file, pairLine, $"client {name}: netmask '{value}' is not a prefix length"));
                        break;
                    }

                    netmask = mask;
                    break;
                case "secret":
                    secret = value;
                    break;
                case "require_message_authenticator":
                    requireMa = YesNoAuto(name, key, value, file, pairLine, errors);
                    break;
                case "limit_proxy_state":
                    limitProxyState = YesNoAuto(name, key, value, file, pairLine, errors);
                    break;
                case "shortname":
                    shortName = value;
                    break;
                case "nas_type":
                    nasType = value;
                    break;
                default:
                    // FreeRADIUS knows many more (proto, virtual_server, response_window, ...); they do not concern us.
                    break;
            }
        }

        IPNetwork network = default;
        if (address is null)
        {
            // FreeRADIUS uses the section name as the address when no ipaddr is given.
            if (!TryParseNetwork(name, null, out network, out _))
            {
                errors.Add(new(file, line, $"client {name} has no ipaddr, and its name is not an address"));
            }
            else if (netmask is not null && !TryParseNetwork(name, netmask, out network, out var maskError))
            {
                errors.Add(new(file, line, $"client {name}: {maskError}"));
            }
        }
        else
        {
            AddressFamily? family = addressKey switch
            {
                "ipv4addr" => AddressFamily.InterNetwork,
                "ipv6addr" => AddressFamily.InterNetworkV6,
                _ => null,
            };
            if (address == "*")
            {
                // A wildcard matches every address of the family (ipaddr means IPv4, as in FreeRADIUS).
                network = family == AddressFamily.InterNetworkV6 ? new IPNetwork(IPAddress.IPv6Any, 0) : new IPNetwork(IPAddress.Any, 0);
            }
            else if (!TryParseNetwork(address, netmask, out network, out var addressError))
            {
                errors.Add(new(file, addressLine, $"client {name}: {addressError}"));
            }
            else if (family is not null && network.BaseAddress.AddressFamily != family)
            {
                errors.Add(new(file, addressLine, $"client {name}: {addressKey} '{address}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address"));
            }
        }

        if (string.IsNullOrEmpty(secret))
        {
            errors.Add(new(file, line, $"client {name} has no secret"));
        }

        if (errors.Count != errorCount)
        {
            return false;
        }

        client = new ClientDefinition(name, network, secret!, requireMa, limitProxyState, shortName, nasType, file, line);
        return true;
    }

    /// <summary>Parses "address" or "address/prefix"; a netmask given separately applies when the address has no prefix.</summary>
    internal static bool TryParseNetwork(string text, int? netmask, out IPNetwork network, out string error)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash >= 0 ? text[..slash] : text;
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%', StringComparison.Ordinal)
            || (address.AddressFamily == AddressFamily.InterNetwork && addressText.Count(c => c == '.') != 3))
        {
            // IPAddress.TryParse accepts "10" or "10.1" as IPv4; FreeRADIUS wants a dotted quad (host names are not resolved here).
            error = $"'{text}' is not an IP address";
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int prefix;
        if (slash >= 0)
        {
            if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix)
            {
                error = $"'{text}' has an invalid prefix length (0-{maxPrefix})";
                return false;
            }

            if (netmask is not null && netmask != prefix)
            {
                error = $"netmask {netmask} contradicts the prefix of '{text}'";
                return false;
            }
        }
        else if (netmask is not null)
        {
            if (netmask > maxPrefix)
            {
                error = $"netmask {netmask} is longer than {maxPrefix}";
                return false;
            }

            prefix = netmask.Value;
        }
        else
        {
            prefix = maxPrefix;
        }

        network = new IPNetwork(IpPrefix.Mask(address, prefix), prefix);
        error = "";
        return true;
    }

    private static string? YesNoAuto(string name, string key, string value, string file, int line, List<ClientsConfError> errors)
    {
        var lower = value.ToLowerInvariant();
        if (lower is "yes" or "no" or "auto")
        {
            return lower;
        }

        errors.Add(new(file, line, $"client {name}: {key} must be yes, no or auto, not '{value}'"));
        return null;
    }
}
