namespace RadiusEmailOtp.Otp.Tokens;

/// <summary>The lower-case names used in the database and on the command line.</summary>
public static class OtpHashAlgorithmNames
{
    public static string ToName(OtpHashAlgorithm algorithm) => algorithm switch
    {
        OtpHashAlgorithm.Sha256 => "sha256",
        OtpHashAlgorithm.Sha512 => "sha512",
        _ => "sha1",
    };

    public static bool TryParse(string? name, out OtpHashAlgorithm algorithm)
    {
        switch (name?.Trim().ToLowerInvariant().Replace("-", string.Empty, StringComparison.Ordinal))
        {
            case "sha1":
                algorithm = OtpHashAlgorithm.Sha1;
                return true;
            case "sha256":
                algorithm = OtpHashAlgorithm.Sha256;
                return true;
            case "sha512":
                algorithm = OtpHashAlgorithm.Sha512;
                return true;
            default:
                algorithm = OtpHashAlgorithm.Sha1;
                return false;
        }
    }

    /// <summary>Seed length in bytes: the HMAC's output size, as RFC 4226 §4 R6 recommends at least 160 bits.</summary>
    public static int SeedLength(OtpHashAlgorithm algorithm) => algorithm switch
    {
        OtpHashAlgorithm.Sha256 => 32,
        OtpHashAlgorithm.Sha512 => 64,
        _ => 20,
    };
}
