namespace RadiusEmailOtp.Otp.Tokens;

/// <summary>The HMAC of a token's HOTP; the same one generates and checks (fixes LinOTP's SHA-1/SHA-256 mismatch).</summary>
public enum OtpHashAlgorithm
{
    Sha1,
    Sha256,
    Sha512,
}
