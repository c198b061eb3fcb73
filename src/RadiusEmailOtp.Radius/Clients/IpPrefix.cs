using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace RadiusEmailOtp.Radius.Clients;

/// <summary>Bit arithmetic on IPv4 and IPv6 addresses as integers.</summary>
internal static class IpPrefix
{
    /// <summary>Returns the address with every bit after the prefix cleared.</summary>
    public static IPAddress Mask(IPAddress address, int prefixLength)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ToAddress(ToUInt32(address) & Mask32(prefixLength));
        }

        var masked = ToUInt128(address) & Mask128(prefixLength);
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, masked);
        return new IPAddress(bytes);
    }

    public static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static UInt128 ToUInt128(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static uint Mask32(int prefixLength) => prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);

    public static UInt128 Mask128(int prefixLength) => prefixLength == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefixLength);

    private static IPAddress ToAddress(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
