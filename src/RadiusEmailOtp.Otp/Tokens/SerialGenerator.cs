namespace RadiusEmailOtp.Otp.Tokens;

/// <summary>Serials in LinOTP's e-mail token style: "LSEM" and 8 hex digits.</summary>
public static class SerialGenerator
{
    public const string Prefix = "LSEM";

    public static string Next(IRandomSource random)
    {
        Span<byte> bytes = stackalloc byte[4];
        random.Fill(bytes);
        return Prefix + Convert.ToHexString(bytes);
    }
}
