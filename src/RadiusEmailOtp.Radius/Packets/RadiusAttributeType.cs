namespace RadiusEmailOtp.Radius;

/// <summary>Numbers of the attributes the codec and server refer to by name (RFC 2865 §5 and later RFCs).</summary>
public static class RadiusAttributeType
{
    /// <summary>User-Name (RFC 2865 §5.1).</summary>
    public const byte UserName = 1;

    /// <summary>User-Password (RFC 2865 §5.2).</summary>
    public const byte UserPassword = 2;

    /// <summary>CHAP-Password (RFC 2865 §5.3).</summary>
    public const byte ChapPassword = 3;

    /// <summary>NAS-IP-Address (RFC 2865 §5.4).</summary>
    public const byte NasIpAddress = 4;

    /// <summary>NAS-Port (RFC 2865 §5.5).</summary>
    public const byte NasPort = 5;

    /// <summary>Service-Type (RFC 2865 §5.6).</summary>
    public const byte ServiceType = 6;

    /// <summary>Framed-IP-Address (RFC 2865 §5.8).</summary>
    public const byte FramedIpAddress = 8;

    /// <summary>Reply-Message (RFC 2865 §5.18).</summary>
    public const byte ReplyMessage = 18;

    /// <summary>State (RFC 2865 §5.24).</summary>
    public const byte State = 24;

    /// <summary>Class (RFC 2865 §5.25).</summary>
    public const byte Class = 25;

    /// <summary>Vendor-Specific (RFC 2865 §5.26).</summary>
    public const byte VendorSpecific = 26;

    /// <summary>Session-Timeout (RFC 2865 §5.27).</summary>
    public const byte SessionTimeout = 27;

    /// <summary>Called-Station-Id (RFC 2865 §5.30).</summary>
    public const byte CalledStationId = 30;

    /// <summary>Calling-Station-Id (RFC 2865 §5.31).</summary>
    public const byte CallingStationId = 31;

    /// <summary>NAS-Identifier (RFC 2865 §5.32).</summary>
    public const byte NasIdentifier = 32;

    /// <summary>Proxy-State (RFC 2865 §5.33).</summary>
    public const byte ProxyState = 33;

    /// <summary>CHAP-Challenge (RFC 2865 §5.40).</summary>
    public const byte ChapChallenge = 60;

    /// <summary>NAS-Port-Type (RFC 2865 §5.41).</summary>
    public const byte NasPortType = 61;

    /// <summary>Tunnel-Type (RFC 2868 §3.1).</summary>
    public const byte TunnelType = 64;

    /// <summary>Tunnel-Medium-Type (RFC 2868 §3.2).</summary>
    public const byte TunnelMediumType = 65;

    /// <summary>Tunnel-Password (RFC 2868 §3.5).</summary>
    public const byte TunnelPassword = 69;

    /// <summary>EAP-Message (RFC 3579 §3.1).</summary>
    public const byte EapMessage = 79;

    /// <summary>Message-Authenticator (RFC 3579 §3.2).</summary>
    public const byte MessageAuthenticator = 80;

    /// <summary>Tunnel-Private-Group-ID (RFC 2868 §3.6).</summary>
    public const byte TunnelPrivateGroupId = 81;

    /// <summary>NAS-IPv6-Address (RFC 3162 §2.1).</summary>
    public const byte NasIpv6Address = 95;
}
