using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RadiusEmailOtp.Radius.Dictionary;

namespace RadiusEmailOtp.Radius.Replies;

/// <summary>
/// Turns the text of a value into the octets of its attribute, by the attribute's dictionary type (RFC 8044 data types).
/// Integers take a number or a VALUE name of the dictionary; an error text says what the type expects.
/// </summary>
public static class AttributeValueEncoder
{
    /// <summary>Encodes <paramref name="text"/>; <paramref name="quoted"/> tells a quoted octets value (its UTF-8 bytes) from a 0x one.</summary>
    public static string? TryEncode(RadiusDictionary dictionary, DictionaryAttribute attribute, string text, bool quoted, out byte[] value)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentNullException.ThrowIfNull(text);
        value = [];
        switch (attribute.DataType)
        {
            case DictionaryAttributeType.String:
                value = Encoding.UTF8.GetBytes(text);
                return null;
            case DictionaryAttributeType.Octets:
                return Octets(attribute, text, quoted, out value);
            case DictionaryAttributeType.Integer:
                return Number(dictionary, attribute, text, 0, uint.MaxValue, 4, out value);
            case DictionaryAttributeType.Date:
                return IsDateText(text) ? Date(text, out value) : Number(dictionary, attribute, text, 0, uint.MaxValue, 4, out value);
            case DictionaryAttributeType.Byte:
                return Number(dictionary, attribute, text, 0, byte.MaxValue, 1, out value);
            case DictionaryAttributeType.Short:
                return Number(dictionary, attribute, text, 0, ushort.MaxValue, 2, out value);
            case DictionaryAttributeType.Signed:
                return Number(dictionary, attribute, text, int.MinValue, int.MaxValue, 4, out value);
            case DictionaryAttributeType.Integer64:
                return Integer64(text, out value);
            case DictionaryAttributeType.IpAddr:
                return Address(text, AddressFamily.InterNetwork, out value);
            case DictionaryAttributeType.Ipv6Addr:
                return Address(text, AddressFamily.InterNetworkV6, out value);
            case DictionaryAttributeType.ComboIp:
                return Address(text, null, out value);
            case DictionaryAttributeType.Ipv4Prefix:
                return Prefix(text, AddressFamily.InterNetwork, out value);
            case DictionaryAttributeType.Ipv6Prefix:
                return Prefix(text, AddressFamily.InterNetworkV6, out value);
            case DictionaryAttributeType.Ifid:
                return Groups(text, ':', 4, 2, "an interface id such as 0:0:0:1 (four groups of hex)", out value);
            case DictionaryAttributeType.Ether:
                return Groups(text, text.Contains('-', StringComparison.Ordinal) ? '-' : ':', 6, 1, "a MAC address such as 00:11:22:33:44:55", out value);
            case DictionaryAttributeType.Bool:
                return Bool(text, out value);
            default:
                return $"{attribute.Name} is of type {attribute.DataType}, which reply_attributes cannot set";
        }
    }

    private static string? Octets(DictionaryAttribute attribute, string text, bool quoted, out byte[] value)
    {
        value = [];
        if (quoted)
        {
            value = Encoding.UTF8.GetBytes(text);
        }
        else if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && text.Length % 2 == 0 && IsHex(text.AsSpan(2)))
        {
            value = Convert.FromHexString(text.AsSpan(2));
        }
        else
        {
            return $"{attribute.Name} takes octets: 0x followed by hex digits, or a quoted string";
        }

        return attribute.FixedLength is { } length && value.Length != length
            ? $"{attribute.Name} holds exactly {length} octets, not {value.Length}"
            : null;
    }

    private static string? Number(RadiusDictionary dictionary, DictionaryAttribute attribute, string text, long min, long max, int size, out byte[] value)
    {
        value = [];
        long number;
        if (dictionary.TryGetValueNumber(attribute, text, out var named))
        {
            number = named;
        }
        else if (!TryParseInteger(text, out number))
        {
            return $"\"{text}\" is neither a number nor a VALUE name of {attribute.Name}";
        }

        if (number < min || number > max)
        {
            return $"{number} is out of range {min}..{max} for {attribute.Name}";
        }

        value = new byte[size];
        switch (size)
        {
            case 1:
                value[0] = (byte)number;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16BigEndian(value, (ushort)number);
                break;
            default:
                BinaryPrimitives.WriteUInt32BigEndian(value, unchecked((uint)number));
                break;
        }

        return null;
    }

    private static string? Integer64(string text, out byte[] value)
    {
        value = new byte[8];
        var parsed = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number);
        if (!parsed)
        {
            return $"\"{text}\" is not an unsigned 64-bit number";
        }

        BinaryPrimitives.WriteUInt64BigEndian(value, number);
        return null;
    }

    private static bool IsDateText(string text) => text.Contains('-', StringComparison.Ordinal) || text.Contains(':', StringComparison.Ordinal);

    private static string? Date(string text, out byte[] value)
    {
        // RFC 8044 §3.4: seconds since 1970-01-01 00:00 UTC in 32 bits.
        value = new byte[4];
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return $"\"{text}\" is not a date (seconds since 1970, or e.g. 2027-01-31T18:00:00Z)";
        }

        var seconds = date.ToUnixTimeSeconds();
        if (seconds is < 0 or > uint.MaxValue)
        {
            return $"\"{text}\" is outside the 32-bit seconds of a RADIUS date";
        }

        BinaryPrimitives.WriteUInt32BigEndian(value, (uint)seconds);
        return null;
    }

    private static string? Address(string text, AddressFamily? family, out byte[] value)
    {
        value = [];
        var what = family switch
        {
            AddressFamily.InterNetwork => "an IPv4 address",
            AddressFamily.InterNetworkV6 => "an IPv6 address",
            _ => "an IPv4 or IPv6 address",
        };
        if (!TryParseAddress(text, out var address) || (family is not null && address.AddressFamily != family))
        {
            return $"\"{text}\" is not {what}";
        }

        value = address.GetAddressBytes();
        return null;
    }

    private static string? Prefix(string text, AddressFamily family, out byte[] value)
    {
        value = [];
        var v4 = family == AddressFamily.InterNetwork;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var maxBits = v4 ? 32 : 128;
        if (slash < 0
            || !TryParseAddress(text[..slash], out var address)
            || address.AddressFamily != family
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
            || bits > maxBits)
        {
            return $"\"{text}\" is not an {(v4 ? "IPv4" : "IPv6")} prefix such as {(v4 ? "10.1.0.0/16" : "2001:db8::/48")}";
        }

        // RFC 8044 §3.10-3.11: a reserved octet, the prefix length, then the address (IPv6: only the octets the prefix covers).
        var bytes = address.GetAddressBytes();
        var take = v4 ? 4 : (bits + 7) / 8;
        value = new byte[2 + take];
        value[1] = (byte)bits;
        bytes.AsSpan(0, take).CopyTo(value.AsSpan(2));
        return null;
    }

    private static string? Groups(string text, char separator, int count, int groupOctets, string what, out byte[] value)
    {
        value = new byte[count * groupOctets];
        var parts = text.Split(separator);
        if (parts.Length != count)
        {
            return $"\"{text}\" is not {what}";
        }

        for (var i = 0; i < count; i++)
        {
            if (parts[i].Length is 0 || parts[i].Length > groupOctets * 2
                || !ulong.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var group))
            {
                return $"\"{text}\" is not {what}";
            }

            for (var b = 0; b < groupOctets; b++)
            {
                value[(i * groupOctets) + b] = (byte)(group >> (8 * (groupOctets - 1 - b)));
            }
        }

        return null;
    }

    private static string? Bool(string text, out byte[] value)
    {
        value = new byte[1];
        switch (text.ToLowerInvariant())
        {
            case "yes" or "true" or "1":
                value[0] = 1;
                return null;
            case "no" or "false" or "0":
                return null;
            default:
                return $"\"{text}\" is not a boolean (yes/no/true/false/1/0)";
        }
    }

    private static bool TryParseInteger(string text, out long number)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var ok = uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex);
            number = hex;
            return ok;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);
    }

    // IPAddress.TryParse takes "10" as 0.0.0.10; a dictionary value must be written out in full.
    private static bool TryParseAddress(string text, out IPAddress address)
    {
        var ok = IPAddress.TryParse(text, out address!);
        return ok && (address.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') == 3);
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
