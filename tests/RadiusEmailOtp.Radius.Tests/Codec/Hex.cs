namespace RadiusEmailOtp.Radius.Tests.Codec;

/// <summary>Turns RFC-style hex dumps into bytes.</summary>
internal static class Hex
{
    public static byte[] Bytes(string dump) =>
        Convert.FromHexString(string.Concat(dump.Where(c => !char.IsWhiteSpace(c))));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
