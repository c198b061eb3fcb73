namespace RadiusEmailOtp.Radius;

/// <summary>Sizes fixed by the wire format.</summary>
internal static class RadiusWire
{
    // RFC 2865 §3: Code, Identifier, Length (2), Authenticator (16).
    public const int HeaderLength = 20;

    // RFC 2865 §3: the maximum Length is 4096.
    public const int MaxPacketLength = 4096;

    public const int AuthenticatorOffset = 4;

    public const int AuthenticatorLength = 16;

    // RFC 2865 §5: Length is one octet and counts Type and Length, so a value holds at most 253 octets.
    public const int MaxValueLength = 253;

    // RFC 2865 §5: Type and Length.
    public const int AttributeHeaderLength = 2;

    // RFC 3579 §3.2: Type, Length, 16-octet HMAC-MD5.
    public const int MessageAuthenticatorAttributeLength = 18;

    public static int ReadLength(ReadOnlySpan<byte> packet) => (packet[2] << 8) | packet[3];

    public static void WriteLength(Span<byte> packet, int length)
    {
        packet[2] = (byte)(length >> 8);
        packet[3] = (byte)length;
    }
}
