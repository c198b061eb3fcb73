using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Radius.Dictionary;

namespace RadiusEmailOtp.Server;

/// <summary>
/// An attribute as FreeRADIUS prints it (detail files, <c>radiusd -X</c>): its dictionary name and its value —
/// quoted text, a named or decimal integer, an address, a date, or 0x-hex — or <c>Attr-N</c> and hex when unknown.
/// </summary>
internal static class AttributeText
{
    /// <summary>The attribute's name and value; VSAs in the common layout (RFC 2865 §5.26) are named by their vendor's dictionary.</summary>
    public static (string Name, string Value) Decode(RadiusDictionary? dictionary, RadiusAttribute attribute) =>
        Decode(dictionary, attribute, out _);

    /// <summary>As <see cref="Decode(RadiusDictionary?, RadiusAttribute)"/>; <paramref name="known"/> is its dictionary entry, if any.</summary>
    public static (string Name, string Value) Decode(RadiusDictionary? dictionary, RadiusAttribute attribute, out DictionaryAttribute? known)
    {
        known = null;
        var value = attribute.Value.Span;
        if (attribute.Type == RadiusAttributeType.VendorSpecific && value.Length > 6 && value[0] == 0)
        {
            var vendorId = (int)BinaryPrimitives.ReadUInt32BigEndian(value);
            if (value[5] == value.Length - 4 && dictionary is not null && dictionary.TryGetAttribute(vendorId, value[4], out var vsa))
            {
                known = vsa;
                return (vsa.Name, Render(dictionary, vsa, value[6..]));
            }

            return ($"Attr-26.{vendorId}.{value[4]}", Hex(value[6..]));
        }

        if (attribute.Type != RadiusAttributeType.VendorSpecific && dictionary is not null && dictionary.TryGetAttribute(0, attribute.Type, out var top))
        {
            known = top;
            return (top.Name, Render(dictionary, top, value));
        }

        return ($"Attr-{attribute.Type}", Hex(value));
    }

    /// <summary>Text as FreeRADIUS prints it inside quotes: backslash and quote escaped, control bytes as octal.</summary>
    public static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '"':
                    builder.Append("\\\"");
                    break;
                case < ' ' or '\x7f':
                    builder.Append('\\').Append(Convert.ToString(c, 8).PadLeft(3, '0'));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    public static string Hex(ReadOnlySpan<byte> value) => "0x" + Convert.ToHexStringLower(value);

    private static string Render(RadiusDictionary dictionary, DictionaryAttribute attribute, ReadOnlySpan<byte> value)
    {
        switch (attribute.DataType)
        {
            case DictionaryAttributeType.String:
                var text = Encoding.UTF8.GetString(value);
                return Encoding.UTF8.GetByteCount(text) == value.Length && !text.Contains('\uFFFD', StringComparison.Ordinal)
                    ? "\"" + Printable(text) + "\""
                    : Hex(value);
            case DictionaryAttributeType.Integer when value.Length == 4:
                var number = BinaryPrimitives.ReadUInt32BigEndian(value);
                return dictionary.TryGetValueName(attribute, number, out var valueName) ? valueName : number.ToString(CultureInfo.InvariantCulture);
            case DictionaryAttributeType.Date when value.Length == 4:
                // FreeRADIUS's "%b %e %Y %H:%M:%S %Z", in UTC: "Dec  1 2025 11:53:20 UTC".
                var date = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(value));
                return "\"" + date.ToString("MMM ", CultureInfo.InvariantCulture)
                    + date.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
                    + date.ToString(" yyyy HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) + "\"";
            case DictionaryAttributeType.IpAddr when value.Length == 4:
            case DictionaryAttributeType.Ipv6Addr when value.Length == 16:
                return new IPAddress(value).ToString();
            default:
                return Hex(value);
        }
    }
}
