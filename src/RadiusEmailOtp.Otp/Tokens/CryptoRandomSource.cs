using System.Security.Cryptography;

namespace RadiusEmailOtp.Otp.Tokens;

/// <summary>The operating system's CSPRNG.</summary>
public sealed class CryptoRandomSource : IRandomSource
{
    public static CryptoRandomSource Instance { get; } = new();

    public void Fill(Span<byte> buffer) => RandomNumberGenerator.Fill(buffer);
}
