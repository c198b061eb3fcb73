using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Parses "192.0.2.1", "192.0.2.0/24", "2001:db8::/32" into a network; host bits must be zero.</summary>
public static class NetworkParser
{
    public static bool TryParse(string text, out IPNetwork network, out string? error)
    {
        network = default;
        error = null;
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText.Trim(), out var address))
        {
            error = $"\"{text}\" is not an IP address or CIDR network";
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
        {
            error = $"\"{text}\" has a bad prefix length (0..{maxPrefix})";
            return false;
        }

        var candidate = new IPNetwork(Mask(address, prefix), prefix);
        if (!candidate.BaseAddress.Equals(address))
        {
            error = $"\"{text}\" has host bits set; did you mean {candidate}?";
            return false;
        }

        network = candidate;
        return true;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }

        return new IPAddress(bytes);
    }
}
