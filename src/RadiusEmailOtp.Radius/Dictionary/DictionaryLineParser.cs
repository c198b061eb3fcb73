using System.Globalization;

namespace RadiusEmailOtp.Radius.Dictionary;

/// <summary>Parses the fields of one dictionary line: numbers, data types and flags.</summary>
internal static class DictionaryLineParser
{
    private static readonly char[] s_separators = [' ', '\t', '\r', '\v', '\f'];

    private static readonly Dictionary<string, DictionaryAttributeType> s_types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["string"] = DictionaryAttributeType.String,
        ["octets"] = DictionaryAttributeType.Octets,
        ["ipaddr"] = DictionaryAttributeType.IpAddr,
        ["ipv4addr"] = DictionaryAttributeType.IpAddr,
        ["ipv4prefix"] = DictionaryAttributeType.Ipv4Prefix,
        ["integer"] = DictionaryAttributeType.Integer,
        ["signed"] = DictionaryAttributeType.Signed,
        ["byte"] = DictionaryAttributeType.Byte,
        ["short"] = DictionaryAttributeType.Short,
        ["integer64"] = DictionaryAttributeType.Integer64,
        ["date"] = DictionaryAttributeType.Date,
        ["ifid"] = DictionaryAttributeType.Ifid,
        ["ipv6addr"] = DictionaryAttributeType.Ipv6Addr,
        ["ipv6prefix"] = DictionaryAttributeType.Ipv6Prefix,
        ["ether"] = DictionaryAttributeType.Ether,
        ["bool"] = DictionaryAttributeType.Bool,
        ["abinary"] = DictionaryAttributeType.Abinary,
        ["combo-ip"] = DictionaryAttributeType.ComboIp,
        ["tlv"] = DictionaryAttributeType.Tlv,
        ["vsa"] = DictionaryAttributeType.Vsa,
        ["extended"] = DictionaryAttributeType.Extended,
        ["long-extended"] = DictionaryAttributeType.LongExtended,
        ["evs"] = DictionaryAttributeType.Evs,

        // Aliases newer FreeRADIUS files use (dictionary.dhcp in 3.2 has uint16/uint32).
        ["uint8"] = DictionaryAttributeType.Byte,
        ["uint16"] = DictionaryAttributeType.Short,
        ["uint32"] = DictionaryAttributeType.Integer,
        ["uint64"] = DictionaryAttributeType.Integer64,
        ["int32"] = DictionaryAttributeType.Signed,
    };

    /// <summary>Splits a line into whitespace-separated fields after dropping a '#' comment.</summary>
    public static string[] Split(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        var content = hash >= 0 ? line[..hash] : line;
        return content.Split(s_separators, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Parses a decimal or 0x-hexadecimal unsigned number.</summary>
    public static bool TryParseUInt(string text, out uint value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses a VALUE number: decimal (possibly negative) or 0x-hexadecimal.</summary>
    public static bool TryParseLong(string text, out long value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var ok = ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex);
            value = unchecked((long)hex);
            return ok;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses a dotted attribute number such as "26", "241.1" or "186.11.2".</summary>
    public static bool TryParseOid(string text, out uint[] components)
    {
        var parts = text.Split('.');
        components = new uint[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParseUInt(parts[i], out components[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses a data type, including the fixed-length form <c>octets[N]</c>.</summary>
    public static bool TryParseType(string text, out DictionaryAttributeType type, out int? fixedLength)
    {
        fixedLength = null;
        var bracket = text.IndexOf('[', StringComparison.Ordinal);
        if (bracket < 0)
        {
            return s_types.TryGetValue(text, out type);
        }

        type = DictionaryAttributeType.Octets;
        if (!text.EndsWith(']') || !text[..bracket].Equals("octets", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // An attribute value holds at most 253 octets (RFC 2865 §5).
        var digits = text.AsSpan(bracket + 1, text.Length - bracket - 2);
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length < 1 || length > 253)
        {
            return false;
        }

        fixedLength = length;
        return true;
    }

    /// <summary>Parses a VENDOR <c>format=t,l[,c]</c> option; returns an error text or null.</summary>
    public static string? ParseVendorFormat(string option, out int typeLength, out int lengthLength, out bool continuation)
    {
        typeLength = 1;
        lengthLength = 1;
        continuation = false;
        if (!option.StartsWith("format=", StringComparison.OrdinalIgnoreCase))
        {
            return $"unknown VENDOR option '{option}'";
        }

        var parts = option["format=".Length..].Split(',');
        if (parts.Length is < 2 or > 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out typeLength)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out lengthLength))
        {
            return $"invalid vendor format '{option}', expected format=t,l";
        }

        if (typeLength is not (1 or 2 or 4))
        {
            return $"invalid vendor type length {typeLength}, expected 1, 2 or 4";
        }

        if (lengthLength is not (0 or 1 or 2))
        {
            return $"invalid vendor length length {lengthLength}, expected 0, 1 or 2";
        }

        if (parts.Length == 3)
        {
            // The continuation octet exists only in WiMAX's 1,1 layout (WiMAX Forum NWG Stage 3).
            if (!parts[2].Equals("c", StringComparison.OrdinalIgnoreCase) || typeLength != 1 || lengthLength != 1)
            {
                return $"invalid vendor format '{option}', only format=1,1,c may carry a continuation flag";
            }

            continuation = true;
        }

        return null;
    }
}
