using System.Buffers;
using System.Security.Cryptography;

namespace RadiusEmailOtp.Radius;

/// <summary>The MD5 and HMAC-MD5 computations shared by the authenticator checks and the builder.</summary>
internal static class RadiusHash
{
    public const int Md5Length = 16;

    private const int StackLimit = 512;

    /// <summary>Computes MD5(Code | ID | Length | authenticator | attributes | secret) over the first Length octets of a packet.</summary>
    public static void ComputeAuthenticator(
        ReadOnlySpan<byte> packet, ReadOnlySpan<byte> authenticator, ReadOnlySpan<byte> secret, Span<byte> destination)
    {
        // RFC 2865 §3 (Response Authenticator), RFC 2866 §3 (Request Authenticator with 16 zero octets).
        var total = packet.Length + secret.Length;
        byte[]? rented = null;
        var buffer = total <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(total));
        buffer = buffer[..total];
        try
        {
            packet.CopyTo(buffer);
            authenticator.CopyTo(buffer.Slice(RadiusWire.AuthenticatorOffset, RadiusWire.AuthenticatorLength));
            secret.CopyTo(buffer[packet.Length..]);
            MD5.HashData(buffer, destination);
        }
        finally
        {
            // The buffer held the shared secret.
            CryptographicOperations.ZeroMemory(buffer);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Computes HMAC-MD5(secret, packet) with the given header authenticator and the Message-Authenticator value zeroed.</summary>
    public static void ComputeMessageAuthenticator(
        ReadOnlySpan<byte> packet,
        ReadOnlySpan<byte> authenticator,
        int valueOffset,
        ReadOnlySpan<byte> secret,
        Span<byte> destination)
    {
        // RFC 3579 §3.2: the HMAC covers the whole packet with the 16 Message-Authenticator octets set to zero.
        byte[]? rented = null;
        var buffer = packet.Length <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(packet.Length));
        buffer = buffer[..packet.Length];
        try
        {
            packet.CopyTo(buffer);
            authenticator.CopyTo(buffer.Slice(RadiusWire.AuthenticatorOffset, RadiusWire.AuthenticatorLength));
            buffer.Slice(valueOffset, Md5Length).Clear();
            HMACMD5.HashData(secret, buffer, destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Returns the Length-bounded packet, or an empty span when the header is not usable.</summary>
    public static ReadOnlySpan<byte> Bound(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < RadiusWire.HeaderLength)
        {
            return default;
        }

        var length = RadiusWire.ReadLength(packet);
        if (length < RadiusWire.HeaderLength || length > RadiusWire.MaxPacketLength || length > packet.Length)
        {
            return default;
        }

        return packet[..length];
    }

    /// <summary>Returns the offset of the single Message-Authenticator value, or -1 if it is absent, repeated or the attributes are malformed.</summary>
    public static int FindMessageAuthenticatorValue(ReadOnlySpan<byte> packet)
    {
        var offset = RadiusWire.HeaderLength;
        var found = -1;
        while (offset < packet.Length)
        {
            if (packet.Length - offset < 2)
            {
                return -1;
            }

            int attributeLength = packet[offset + 1];
            if (attributeLength < 2 || attributeLength > packet.Length - offset)
            {
                return -1;
            }

            if (packet[offset] == RadiusAttributeType.MessageAuthenticator)
            {
                if (found >= 0 || attributeLength != RadiusWire.MessageAuthenticatorAttributeLength)
                {
                    return -1;
                }

                found = offset + 2;
            }

            offset += attributeLength;
        }

        return found;
    }
}
