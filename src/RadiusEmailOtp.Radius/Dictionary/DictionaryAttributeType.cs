namespace RadiusEmailOtp.Radius.Dictionary;

/// <summary>The data types a FreeRADIUS v3 dictionary can give an attribute.</summary>
public enum DictionaryAttributeType
{
    /// <summary>Printable text, 0-253 octets (RFC 8044 §3.5 "text").</summary>
    String,

    /// <summary>Opaque octets (RFC 8044 §3.6 "string").</summary>
    Octets,

    /// <summary>An IPv4 address, 4 octets (RFC 8044 §3.8).</summary>
    IpAddr,

    /// <summary>An IPv4 prefix, 6 octets (RFC 8044 §3.11).</summary>
    Ipv4Prefix,

    /// <summary>An unsigned 32-bit integer (RFC 8044 §3.1).</summary>
    Integer,

    /// <summary>A signed 32-bit integer.</summary>
    Signed,

    /// <summary>An unsigned 8-bit integer.</summary>
    Byte,

    /// <summary>An unsigned 16-bit integer.</summary>
    Short,

    /// <summary>An unsigned 64-bit integer (RFC 8044 §3.3).</summary>
    Integer64,

    /// <summary>Seconds since 1970-01-01 UTC, 32 bits (RFC 8044 §3.4).</summary>
    Date,

    /// <summary>An IPv6 interface identifier, 8 octets (RFC 8044 §3.7).</summary>
    Ifid,

    /// <summary>An IPv6 address, 16 octets (RFC 8044 §3.9).</summary>
    Ipv6Addr,

    /// <summary>An IPv6 prefix, 2-18 octets (RFC 8044 §3.10).</summary>
    Ipv6Prefix,

    /// <summary>An Ethernet MAC address, 6 octets.</summary>
    Ether,

    /// <summary>A one-octet boolean.</summary>
    Bool,

    /// <summary>The Ascend binary filter format.</summary>
    Abinary,

    /// <summary>An IPv4 or IPv6 address, told apart by length.</summary>
    ComboIp,

    /// <summary>A container of type-length-value children (RFC 6929 §2.3).</summary>
    Tlv,

    /// <summary>The Vendor-Specific container (RFC 2865 §5.26).</summary>
    Vsa,

    /// <summary>An Extended-Type container (RFC 6929 §2.1).</summary>
    Extended,

    /// <summary>A Long-Extended-Type container (RFC 6929 §2.2).</summary>
    LongExtended,

    /// <summary>An Extended-Vendor-Specific container (RFC 6929 §2.4).</summary>
    Evs,
}
