using System.Net;

namespace RadiusEmailOtp.Otp.Policies;

/// <summary>One entry of a policy's <c>client</c> list: an IP or CIDR network, or <c>*</c> (Network null); maybe negated.</summary>
public sealed record PolicyClientPattern(IPNetwork? Network, bool Negated)
{
    /// <summary>The prefix length that matched, -1 for <c>*</c>, or null when <paramref name="client"/> is outside.</summary>
    public int? Match(IPAddress? client)
    {
        if (Network is not { } network)
        {
            return -1;
        }

        if (client is null)
        {
            return null;
        }

        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        return network.Contains(address) ? network.PrefixLength : null;
    }

    public override string ToString() => (Negated ? "!" : string.Empty) + (Network?.ToString() ?? "*");
}
