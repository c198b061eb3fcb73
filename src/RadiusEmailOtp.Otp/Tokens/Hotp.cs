using OtpNet;

namespace RadiusEmailOtp.Otp.Tokens;

/// <summary>RFC 4226 HOTP through Otp.NET, with the token's own hash for both generation and checking.</summary>
public static class Hotp
{
    public static string Compute(ReadOnlySpan<byte> seed, OtpHashAlgorithm algorithm, int digits, long counter)
    {
        var mode = algorithm switch
        {
            OtpHashAlgorithm.Sha256 => OtpHashMode.Sha256,
            OtpHashAlgorithm.Sha512 => OtpHashMode.Sha512,
            _ => OtpHashMode.Sha1,
        };
        return new OtpNet.Hotp(seed.ToArray(), mode, digits).ComputeHOTP(counter);
    }
}
