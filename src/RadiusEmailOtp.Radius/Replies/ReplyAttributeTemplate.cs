using System.Buffers.Binary;
using System.Globalization;
using RadiusEmailOtp.Radius.Dictionary;

namespace RadiusEmailOtp.Radius.Replies;

/// <summary>
/// One configured reply attribute (<c>Class = "vpn-users"</c>, <c>Cisco-AVPair = "shell:priv-lvl=15"</c>), resolved with the
/// dictionary and checked once; <see cref="TryRender"/> fills in <c>${user}</c> and <c>${realm}</c> and gives the attribute as it
/// goes on the wire (a vendor attribute wrapped in Vendor-Specific, RFC 2865 §5.26).
/// </summary>
public sealed class ReplyAttributeTemplate
{
    /// <summary>The placeholders a string or octets value may hold.</summary>
    public static readonly IReadOnlyList<string> Placeholders = ["user", "realm"];

    // What the protocol or the server itself owns: passwords, the challenge State, the signature, EAP, the proxy's echo.
    private static readonly Dictionary<uint, string> s_reserved = new()
    {
        [RadiusAttributeType.UserPassword] = "a password never goes in a reply",
        [RadiusAttributeType.ChapPassword] = "a password never goes in a reply",
        [RadiusAttributeType.State] = "the server sets State itself (RFC 2865 §5.24)",
        [RadiusAttributeType.VendorSpecific] = "name the vendor attribute itself, e.g. Cisco-AVPair",
        [RadiusAttributeType.ProxyState] = "Proxy-State is echoed from the request (RFC 2865 §5.33)",
        [RadiusAttributeType.ChapChallenge] = "CHAP-Challenge belongs to requests",
        [RadiusAttributeType.EapMessage] = "the server does not speak EAP",
        [RadiusAttributeType.MessageAuthenticator] = "the server signs every reply itself (RFC 3579 §3.2)",
    };

    private readonly RadiusDictionary _dictionary;
    private readonly DictionaryVendor? _vendor;
    private readonly int? _tag;
    private readonly string? _template;
    private readonly bool _quoted;
    private readonly byte[]? _value;

    private ReplyAttributeTemplate(
        string text, RadiusDictionary dictionary, DictionaryAttribute attribute, DictionaryVendor? vendor, int? tag, bool quoted, string? template, byte[]? value, int staticWireLength)
    {
        Text = text;
        _dictionary = dictionary;
        Attribute = attribute;
        _vendor = vendor;
        _tag = tag;
        _quoted = quoted;
        _template = template;
        _value = value;
        StaticWireLength = staticWireLength;
    }

    /// <summary>The item as configured.</summary>
    public string Text { get; }

    /// <summary>The dictionary attribute it sets.</summary>
    public DictionaryAttribute Attribute { get; }

    /// <summary>Whether the value holds <c>${user}</c> or <c>${realm}</c>, so its size is known only per request.</summary>
    public bool HasPlaceholders => _template is not null;

    /// <summary>The most value octets the attribute can carry: 253, less the vendor header of a VSA (a tag octet counts as value).</summary>
    public int MaxValueLength => RadiusWire.MaxValueLength - HeaderLength;

    /// <summary>The attribute's octets on the wire with every placeholder empty: the least it adds to a packet.</summary>
    public int StaticWireLength { get; }

    private int HeaderLength => VendorHeaderLength(_vendor);

    /// <summary>Parses and checks one item; null with an <paramref name="error"/> when the name, value or attribute is not allowed.</summary>
    public static ReplyAttributeTemplate? Parse(RadiusDictionary dictionary, string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        ArgumentNullException.ThrowIfNull(text);
        error = ReplyAttributeSyntax.TryParse(text, out var name, out var tag, out var valueText, out var quoted);
        if (error is not null)
        {
            return null;
        }

        if (!dictionary.TryGetAttribute(name, out var attribute))
        {
            error = $"unknown attribute {name} (not in the dictionary of [server] dictionary)";
            return null;
        }

        error = CheckSettable(dictionary, attribute, tag, out var vendor);
        if (error is not null)
        {
            return null;
        }

        var hasPlaceholders = valueText.Contains("${", StringComparison.Ordinal);
        if (hasPlaceholders)
        {
            error = CheckPlaceholders(attribute, valueText, quoted);
            if (error is not null)
            {
                return null;
            }
        }

        // Placeholders empty: the least the value takes, which must already fit.
        error = Encode(dictionary, attribute, vendor, tag, quoted, hasPlaceholders ? Fill(valueText, string.Empty, string.Empty) : valueText, out var wire);
        if (error is not null)
        {
            return null;
        }

        return new ReplyAttributeTemplate(
            text, dictionary, attribute, vendor, tag, quoted, hasPlaceholders ? valueText : null, hasPlaceholders ? null : wire.Value.ToArray(), 2 + wire.Value.Length);
    }

    /// <summary>The attribute for one accepted login; fails when a filled-in value no longer fits its attribute.</summary>
    public bool TryRender(string user, string realm, out RadiusAttribute attribute, out string? error)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(realm);
        if (_template is null)
        {
            attribute = new RadiusAttribute(_vendor is null ? (byte)Attribute.Type : RadiusAttributeType.VendorSpecific, _value!);
            error = null;
            return true;
        }

        error = Encode(_dictionary, Attribute, _vendor, _tag, _quoted, Fill(_template, user, realm), out attribute);
        return error is null;
    }

    public override string ToString() => Text;

    private static string? CheckSettable(RadiusDictionary dictionary, DictionaryAttribute attribute, int? tag, out DictionaryVendor? vendor)
    {
        vendor = null;
        if (attribute.VendorId == 0)
        {
            if (attribute.Oid.Contains('.', StringComparison.Ordinal) || attribute.Type is 0 or > 255)
            {
                return $"{attribute.Name} ({attribute.Oid}) is inside another attribute; reply_attributes sets top-level and vendor attributes only";
            }

            if (s_reserved.TryGetValue(attribute.Type, out var why))
            {
                return $"{attribute.Name} cannot be set by configuration: {why}";
            }
        }
        else
        {
            if (attribute.Oid != string.Create(CultureInfo.InvariantCulture, $"26.{attribute.VendorId}.{attribute.Type}"))
            {
                return $"{attribute.Name} ({attribute.Oid}) is inside another attribute; reply_attributes sets top-level and vendor attributes only";
            }

            if (!dictionary.TryGetVendor(attribute.VendorId, out var found) || found.HasContinuation || found.TypeLength is not (1 or 2 or 4))
            {
                return $"{attribute.Name}: its vendor's attribute format is not supported in reply_attributes";
            }

            vendor = found;
        }

        if (attribute.Encrypt != 0 || attribute.Flags.HasFlag(DictionaryAttributeFlags.Secret))
        {
            return $"{attribute.Name} is an encrypted attribute; reply_attributes cannot set it";
        }

        return tag is not null && !attribute.Flags.HasFlag(DictionaryAttributeFlags.HasTag)
            ? $"{attribute.Name} takes no tag (only has_tag attributes such as Tunnel-Type:1 do)"
            : null;
    }

    private static string? CheckPlaceholders(DictionaryAttribute attribute, string value, bool quoted)
    {
        if (attribute.DataType is not (DictionaryAttributeType.String or DictionaryAttributeType.Octets) || (attribute.DataType == DictionaryAttributeType.Octets && !quoted))
        {
            return $"{attribute.Name}: placeholders are allowed only in text values (string attributes, or quoted octets)";
        }

        for (var start = value.IndexOf("${", StringComparison.Ordinal); start >= 0; start = value.IndexOf("${", start + 2, StringComparison.Ordinal))
        {
            var end = value.IndexOf('}', start);
            if (end < 0)
            {
                return $"placeholder {value[start..]} has no closing }}";
            }

            var name = value[(start + 2)..end];
            if (!Placeholders.Contains(name))
            {
                return $"unknown placeholder ${{{name}}}; known: {string.Join(", ", Placeholders.Select(p => "${" + p + "}"))}";
            }
        }

        return null;
    }

    private static string Fill(string template, string user, string realm) =>
        template.Replace("${user}", user, StringComparison.Ordinal).Replace("${realm}", realm, StringComparison.Ordinal);

    private static int VendorHeaderLength(DictionaryVendor? vendor) => vendor is null ? 0 : 4 + vendor.TypeLength + vendor.LengthLength;

    private static string? Encode(
        RadiusDictionary dictionary, DictionaryAttribute definition, DictionaryVendor? vendor, int? tag, bool quoted, string valueText, out RadiusAttribute attribute)
    {
        attribute = default;
        var error = AttributeValueEncoder.TryEncode(dictionary, definition, valueText, quoted, out var value)
            ?? ApplyTag(definition, tag, ref value);
        if (error is not null)
        {
            return error;
        }

        var max = RadiusWire.MaxValueLength - VendorHeaderLength(vendor);
        if (value.Length > max)
        {
            return $"the value of {definition.Name} is {value.Length} octets; it holds at most {max}";
        }

        attribute = vendor is null
            ? new RadiusAttribute((byte)definition.Type, value)
            : new RadiusAttribute(RadiusAttributeType.VendorSpecific, WrapVendor(vendor, definition.Type, value));
        return null;
    }

    // RFC 2868 §3.1: a tagged integer gives its first octet to the tag; a tagged string starts with it, and an untagged one
    // whose first octet could be read as a tag gets a zero tag.
    private static string? ApplyTag(DictionaryAttribute definition, int? tag, ref byte[] value)
    {
        if (!definition.Flags.HasFlag(DictionaryAttributeFlags.HasTag))
        {
            return null;
        }

        if (definition.DataType == DictionaryAttributeType.Integer)
        {
            if (value[0] != 0)
            {
                return $"a tagged {definition.Name} holds at most 24 bits ({0xFFFFFF})";
            }

            value[0] = (byte)(tag ?? 0);
            return null;
        }

        if (tag is not null || (value.Length > 0 && value[0] <= 0x1F))
        {
            value = [(byte)(tag ?? 0), .. value];
        }

        return null;
    }

    // RFC 2865 §5.26: Vendor-Id, then the vendor's own type and length fields (1,1 unless the dictionary says format=t,l).
    private static byte[] WrapVendor(DictionaryVendor vendor, uint type, byte[] value)
    {
        var header = 4 + vendor.TypeLength + vendor.LengthLength;
        var wire = new byte[header + value.Length];
        BinaryPrimitives.WriteUInt32BigEndian(wire, (uint)vendor.Id);
        var span = wire.AsSpan(4);
        switch (vendor.TypeLength)
        {
            case 1:
                span[0] = (byte)type;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)type);
                break;
            default:
                BinaryPrimitives.WriteUInt32BigEndian(span, type);
                break;
        }

        span = span[vendor.TypeLength..];
        var length = vendor.TypeLength + vendor.LengthLength + value.Length;
        if (vendor.LengthLength == 1)
        {
            span[0] = (byte)length;
        }
        else if (vendor.LengthLength == 2)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)length);
        }

        value.CopyTo(wire.AsSpan(header));
        return wire;
    }
}
