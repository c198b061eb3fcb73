using System.Text;
using NUnit.Framework;

namespace RadiusEmailOtp.Radius.Tests.Codec;

/// <summary>Crafts datagrams byte by byte, including ones no builder would make.</summary>
internal static class Datagrams
{
    public static readonly byte[] Secret = Encoding.ASCII.GetBytes("xyzzy5461");

    public static byte[] Authenticator(byte seed)
    {
        var authenticator = new byte[16];
        for (var i = 0; i < authenticator.Length; i++)
        {
            authenticator[i] = (byte)(seed + (i * 17));
        }

        return authenticator;
    }

    /// <summary>A header with a correct Length field followed by the given attribute octets, taken verbatim.</summary>
    public static byte[] Packet(byte code, params byte[][] attributes)
    {
        var attributeOctets = Concat(attributes);
        var packet = new byte[20 + attributeOctets.Length];
        packet[0] = code;
        packet[1] = 7;
        packet[2] = (byte)(packet.Length >> 8);
        packet[3] = (byte)packet.Length;
        Authenticator(1).CopyTo(packet, 4);
        attributeOctets.CopyTo(packet, 20);
        return packet;
    }

    public static byte[] AccessRequest(params byte[][] attributes) => Packet(1, attributes);

    /// <summary>One attribute with a correct Length octet.</summary>
    public static byte[] Attribute(byte type, int valueLength, byte fill = 0x61)
    {
        var attribute = new byte[2 + valueLength];
        attribute[0] = type;
        attribute[1] = (byte)(2 + valueLength);
        attribute.AsSpan(2).Fill(fill);
        return attribute;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static RadiusPacket Read(byte[] datagram)
    {
        var reason = RadiusPacketReader.TryRead(datagram, RadiusPacketReader.DefaultMaxAttributes, out var packet);
        Assert.That(reason, Is.EqualTo(RadiusDropReason.None));
        return packet!;
    }
}
