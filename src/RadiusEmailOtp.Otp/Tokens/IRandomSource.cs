namespace RadiusEmailOtp.Otp.Tokens;

/// <summary>The randomness seam: States, seeds, salts and serials come from here so tests can be deterministic.</summary>
public interface IRandomSource
{
    void Fill(Span<byte> buffer);
}
