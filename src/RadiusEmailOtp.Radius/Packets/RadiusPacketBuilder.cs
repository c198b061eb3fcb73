using System.Buffers.Binary;
using System.Text;

namespace RadiusEmailOtp.Radius;

/// <summary>Collects attributes in order and writes them out as a signed reply or request.</summary>
public sealed class RadiusPacketBuilder
{
    // RFC 2865 §5.26: Vendor-Id (4), Vendor type (1), Vendor length (1).
    private const int VendorHeaderLength = 6;

    private readonly RadiusCode _code;
    private readonly byte _identifier;
    private byte[] _attributes = new byte[256];
    private int _length;

    /// <summary>Starts a packet with the given code and identifier.</summary>
    public RadiusPacketBuilder(RadiusCode code, byte identifier)
    {
        _code = code;
        _identifier = identifier;
    }

    /// <summary>Gets the number of attribute octets added so far.</summary>
    public int AttributesLength => _length;

    /// <summary>Appends an attribute; throws ArgumentException when the value exceeds 253 octets.</summary>
    public RadiusPacketBuilder Add(byte type, ReadOnlySpan<byte> value)
    {
        // RFC 2865 §5: the one-octet Length counts Type and Length too.
        if (value.Length > RadiusWire.MaxValueLength)
        {
            throw new ArgumentException(
                $"An attribute value holds at most {RadiusWire.MaxValueLength} octets, not {value.Length}.", nameof(value));
        }

        var destination = Reserve(2 + value.Length);
        destination[0] = type;
        destination[1] = (byte)(2 + value.Length);
        value.CopyTo(destination[2..]);
        return this;
    }

    /// <summary>Appends an attribute holding the UTF-8 encoding of a string.</summary>
    public RadiusPacketBuilder AddString(byte type, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Add(type, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Appends an attribute holding a 32-bit unsigned integer in network order.</summary>
    public RadiusPacketBuilder AddUInt32(byte type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return Add(type, bytes);
    }

    /// <summary>Appends a Vendor-Specific attribute in the RFC 2865 §5.26 layout with one sub-attribute.</summary>
    public RadiusPacketBuilder AddVendorSpecific(uint vendorId, byte vendorType, ReadOnlySpan<byte> value)
    {
        if (value.Length > RadiusWire.MaxValueLength - VendorHeaderLength)
        {
            throw new ArgumentException(
                $"A vendor attribute value holds at most {RadiusWire.MaxValueLength - VendorHeaderLength} octets.", nameof(value));
        }

        Span<byte> vsa = stackalloc byte[VendorHeaderLength + value.Length];
        BinaryPrimitives.WriteUInt32BigEndian(vsa, vendorId);
        vsa[4] = vendorType;
        vsa[5] = (byte)(2 + value.Length);
        value.CopyTo(vsa[VendorHeaderLength..]);
        return Add(RadiusAttributeType.VendorSpecific, vsa);
    }

    /// <summary>Appends the text as Reply-Message attributes of at most 253 octets each, never splitting a UTF-8 sequence.</summary>
    public RadiusPacketBuilder AddReplyMessage(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // RFC 2865 §5.18: Reply-Message may repeat; the client concatenates the pieces in order.
        ReadOnlySpan<byte> remaining = Encoding.UTF8.GetBytes(text);
        while (!remaining.IsEmpty)
        {
            var take = NextReplyMessagePiece(remaining);
            Add(RadiusAttributeType.ReplyMessage, remaining[..take]);
            remaining = remaining[take..];
        }

        return this;
    }

    /// <summary>
    /// The length of a reply holding attributes of <paramref name="attributeOctets"/> octets in all (headers included),
    /// with Message-Authenticator when asked; more than 4096 cannot be sent (RFC 2865 §3).
    /// </summary>
    public static int ReplyLength(int attributeOctets, bool withMessageAuthenticator) =>
        RadiusWire.HeaderLength + attributeOctets + (withMessageAuthenticator ? RadiusWire.MessageAuthenticatorAttributeLength : 0);

    public static bool FitsInPacket(int length) => length <= RadiusWire.MaxPacketLength;

    /// <summary>The octets <see cref="AddReplyMessage"/> adds for <paramref name="text"/>, attribute headers included.</summary>
    public static int ReplyMessageLength(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ReadOnlySpan<byte> remaining = Encoding.UTF8.GetBytes(text);
        var length = 0;
        while (!remaining.IsEmpty)
        {
            var take = NextReplyMessagePiece(remaining);
            length += RadiusWire.AttributeHeaderLength + take;
            remaining = remaining[take..];
        }

        return length;
    }

    private static int NextReplyMessagePiece(ReadOnlySpan<byte> remaining)
    {
        var take = Math.Min(remaining.Length, RadiusWire.MaxValueLength);
        if (take < remaining.Length)
        {
            // Back up while the first octet left behind is a continuation octet (10xxxxxx).
            while (take > 0 && (remaining[take] & 0xC0) == 0x80)
            {
                take--;
            }

            if (take == 0)
            {
                take = RadiusWire.MaxValueLength;
            }
        }

        return take;
    }

    /// <summary>Writes a reply signed with the request's authenticator, with Message-Authenticator first when asked.</summary>
    public byte[] BuildReply(ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret, bool withMessageAuthenticator)
    {
        RequireAuthenticator(requestAuthenticator, nameof(requestAuthenticator));
        var packet = Write(requestAuthenticator, withMessageAuthenticator);
        if (withMessageAuthenticator)
        {
            // RFC 3579 §3.2: the MA of a reply is computed with the request's authenticator in the header.
            SignMessageAuthenticator(packet, secret);
        }

        // RFC 2865 §3: Response Authenticator over the packet holding the final Message-Authenticator.
        RadiusHash.ComputeAuthenticator(
            packet, requestAuthenticator, secret, packet.AsSpan(RadiusWire.AuthenticatorOffset, RadiusWire.AuthenticatorLength));
        return packet;
    }

    /// <summary>Writes an Access-Request or Status-Server with the given random authenticator and optional Message-Authenticator first.</summary>
    public byte[] BuildRequest(ReadOnlySpan<byte> authenticator, ReadOnlySpan<byte> secret, bool withMessageAuthenticator)
    {
        RequireAuthenticator(authenticator, nameof(authenticator));
        var packet = Write(authenticator, withMessageAuthenticator);
        if (withMessageAuthenticator)
        {
            SignMessageAuthenticator(packet, secret);
        }

        return packet;
    }

    /// <summary>Writes an Accounting, CoA or Disconnect request whose authenticator is MD5 over the packet with 16 zero octets and the secret.</summary>
    public byte[] BuildAccountingStyleRequest(ReadOnlySpan<byte> secret)
    {
        // RFC 2866 §3, RFC 5176 §2.3.
        Span<byte> zeros = stackalloc byte[RadiusWire.AuthenticatorLength];
        zeros.Clear();
        var packet = Write(zeros, withMessageAuthenticator: false);
        RadiusHash.ComputeAuthenticator(
            packet, zeros, secret, packet.AsSpan(RadiusWire.AuthenticatorOffset, RadiusWire.AuthenticatorLength));
        return packet;
    }

    private static void RequireAuthenticator(ReadOnlySpan<byte> authenticator, string parameterName)
    {
        if (authenticator.Length != RadiusWire.AuthenticatorLength)
        {
            throw new ArgumentException("An authenticator is 16 octets.", parameterName);
        }
    }

    private static void SignMessageAuthenticator(byte[] packet, ReadOnlySpan<byte> secret)
    {
        const int valueOffset = RadiusWire.HeaderLength + 2;
        RadiusHash.ComputeMessageAuthenticator(
            packet,
            packet.AsSpan(RadiusWire.AuthenticatorOffset, RadiusWire.AuthenticatorLength),
            valueOffset,
            secret,
            packet.AsSpan(valueOffset, RadiusHash.Md5Length));
    }

    private byte[] Write(ReadOnlySpan<byte> authenticator, bool withMessageAuthenticator)
    {
        var prefix = withMessageAuthenticator ? RadiusWire.MessageAuthenticatorAttributeLength : 0;
        var length = RadiusWire.HeaderLength + prefix + _length;
        if (length > RadiusWire.MaxPacketLength)
        {
            throw new InvalidOperationException(
                $"The packet would be {length} octets; RADIUS allows at most {RadiusWire.MaxPacketLength} (RFC 2865 §3).");
        }

        var packet = new byte[length];
        packet[0] = (byte)_code;
        packet[1] = _identifier;
        RadiusWire.WriteLength(packet, length);
        authenticator.CopyTo(packet.AsSpan(RadiusWire.AuthenticatorOffset));
        if (withMessageAuthenticator)
        {
            // BlastRADIUS (CVE-2024-3596): Message-Authenticator goes first; its value stays zero until signed.
            packet[RadiusWire.HeaderLength] = RadiusAttributeType.MessageAuthenticator;
            packet[RadiusWire.HeaderLength + 1] = RadiusWire.MessageAuthenticatorAttributeLength;
        }

        _attributes.AsSpan(0, _length).CopyTo(packet.AsSpan(RadiusWire.HeaderLength + prefix));
        return packet;
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _attributes.Length)
        {
            Array.Resize(ref _attributes, Math.Max(_attributes.Length * 2, _length + count));
        }

        var span = _attributes.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
