namespace RadiusEmailOtp.Radius;

/// <summary>Turns datagrams into packets, returning a drop reason instead of throwing on bad input.</summary>
public static class RadiusPacketReader
{
    /// <summary>The FreeRADIUS default for max_attributes.</summary>
    public const int DefaultMaxAttributes = 200;

    /// <summary>Validates a datagram against every packet rule and, when it passes, copies it into a packet.</summary>
    /// <remarks>A <paramref name="maxAttributes"/> of zero or less means no limit, as in FreeRADIUS.</remarks>
    public static RadiusDropReason TryRead(ReadOnlySpan<byte> datagram, int maxAttributes, out RadiusPacket? packet)
    {
        packet = null;
        var reason = Validate(datagram, maxAttributes, out var length, out var keptCount);
        if (reason != RadiusDropReason.None)
        {
            return reason;
        }

        // RFC 2865 §3: octets beyond Length are padding and are ignored, so only Length octets are kept.
        var raw = datagram[..length].ToArray();
        var attributes = keptCount == 0 ? [] : new RadiusAttribute[keptCount];
        var offset = RadiusWire.HeaderLength;
        var index = 0;
        while (offset < length)
        {
            int attributeLength = raw[offset + 1];
            if (attributeLength > 2)
            {
                attributes[index++] = new RadiusAttribute(raw[offset], raw.AsMemory(offset + 2, attributeLength - 2));
            }

            offset += attributeLength;
        }

        packet = new RadiusPacket(raw, attributes);
        return RadiusDropReason.None;
    }

    /// <summary>Returns whether the code is one of the codes in <see cref="RadiusCode"/>.</summary>
    public static bool IsKnownCode(byte code) => code switch
    {
        >= 1 and <= 5 => true,
        >= 11 and <= 13 => true,
        >= 40 and <= 45 => true,
        _ => false,
    };

    private static RadiusDropReason Validate(ReadOnlySpan<byte> datagram, int maxAttributes, out int length, out int keptCount)
    {
        length = 0;
        keptCount = 0;

        // RFC 2865 §3: a packet shorter than the header is silently discarded.
        if (datagram.Length < RadiusWire.HeaderLength)
        {
            return RadiusDropReason.TooShort;
        }

        length = RadiusWire.ReadLength(datagram);
        if (length < RadiusWire.HeaderLength || length > RadiusWire.MaxPacketLength)
        {
            return RadiusDropReason.BadLengthField;
        }

        // RFC 2865 §3: fewer octets than Length means the packet MUST be silently discarded.
        if (datagram.Length < length)
        {
            return RadiusDropReason.TruncatedDatagram;
        }

        if (!IsKnownCode(datagram[0]))
        {
            return RadiusDropReason.UnknownCode;
        }

        var packet = datagram[..length];
        var offset = RadiusWire.HeaderLength;
        var total = 0;
        var seenMessageAuthenticator = false;
        var seenEap = false;
        var seenPassword = false;
        while (offset < length)
        {
            // RFC 2865 §5: attributes tile the packet; a lone trailing octet cannot hold Type and Length.
            if (length - offset < 2)
            {
                return RadiusDropReason.AttributeOverrun;
            }

            var type = packet[offset];
            int attributeLength = packet[offset + 1];
            if (attributeLength < 2)
            {
                return RadiusDropReason.AttributeTooShort;
            }

            if (type == 0)
            {
                return RadiusDropReason.AttributeTypeZero;
            }

            if (attributeLength > length - offset)
            {
                return RadiusDropReason.AttributeOverrun;
            }

            switch (type)
            {
                case RadiusAttributeType.MessageAuthenticator:
                    // RFC 3579 §3.2: exactly one, 16 octets of HMAC-MD5.
                    if (attributeLength != RadiusWire.MessageAuthenticatorAttributeLength)
                    {
                        return RadiusDropReason.BadMessageAuthenticatorLength;
                    }

                    if (seenMessageAuthenticator)
                    {
                        return RadiusDropReason.DuplicateMessageAuthenticator;
                    }

                    seenMessageAuthenticator = true;
                    break;
                case RadiusAttributeType.EapMessage:
                    seenEap = true;
                    break;
                case RadiusAttributeType.UserPassword:
                case RadiusAttributeType.ChapPassword:
                    seenPassword = true;
                    break;
            }

            // FreeRADIUS counts every attribute on the wire against max_attributes, empty ones too,
            // but an empty attribute (Length 2) carries nothing and is not kept.
            total++;
            if (attributeLength > 2)
            {
                keptCount++;
            }

            offset += attributeLength;
        }

        if (maxAttributes > 0 && total > maxAttributes)
        {
            return RadiusDropReason.TooManyAttributes;
        }

        // RFC 3579 §3.3: EAP-Message without Message-Authenticator is silently discarded.
        if (seenEap && !seenMessageAuthenticator)
        {
            return RadiusDropReason.EapWithoutMessageAuthenticator;
        }

        // RFC 3579 §3.3: an Access-Request with EAP-Message must not also carry User-Password or CHAP-Password.
        if (seenEap && seenPassword)
        {
            return RadiusDropReason.EapWithPassword;
        }

        return RadiusDropReason.None;
    }
}
