namespace RadiusEmailOtp.Radius;

/// <summary>Why the reader silently discarded a datagram, or <see cref="None"/> when it accepted it.</summary>
public enum RadiusDropReason
{
    /// <summary>The datagram holds a valid packet.</summary>
    None,

    /// <summary>The datagram is shorter than the 20-octet header (RFC 2865 §3).</summary>
    TooShort,

    /// <summary>The Length field is below 20 or above 4096 (RFC 2865 §3).</summary>
    BadLengthField,

    /// <summary>The datagram is shorter than its Length field (RFC 2865 §3).</summary>
    TruncatedDatagram,

    /// <summary>The Code is not one this codec knows (RFC 2865 §3).</summary>
    UnknownCode,

    /// <summary>An attribute runs past the end of the packet (RFC 2865 §5).</summary>
    AttributeOverrun,

    /// <summary>An attribute has a Length below 2 (RFC 2865 §5).</summary>
    AttributeTooShort,

    /// <summary>An attribute has Type 0, which is reserved (RFC 2865 §5).</summary>
    AttributeTypeZero,

    /// <summary>The packet has more attributes than the configured maximum (FreeRADIUS max_attributes).</summary>
    TooManyAttributes,

    /// <summary>A Message-Authenticator is not 18 octets long (RFC 3579 §3.2).</summary>
    BadMessageAuthenticatorLength,

    /// <summary>The packet has more than one Message-Authenticator (RFC 3579 §3.2).</summary>
    DuplicateMessageAuthenticator,

    /// <summary>The packet has EAP-Message but no Message-Authenticator (RFC 3579 §3.3).</summary>
    EapWithoutMessageAuthenticator,

    /// <summary>The packet has EAP-Message together with User-Password or CHAP-Password (RFC 3579 §3.3).</summary>
    EapWithPassword,
}
