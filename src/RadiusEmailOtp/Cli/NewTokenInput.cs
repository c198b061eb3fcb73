using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// A new token's fields, checked and normalised by <see cref="TokenFieldRules.Validate"/>. It holds the PIN in clear,
/// so it is a class, not a record: its ToString names the user only.
/// </summary>
internal sealed class NewTokenInput
{
    public required string User { get; init; }

    public required string Realm { get; init; }

    public required string Email { get; init; }

    public required string Pin { get; init; }

    public required int OtpLength { get; init; }

    public required OtpHashAlgorithm Hash { get; init; }

    public required string Description { get; init; }

    /// <summary>The stored token: a fresh serial and seed, the seed sealed and the PIN hashed.</summary>
    public EmailToken Create(TokenProtector protector, IRandomSource random, int maxFail, DateTimeOffset now) =>
        TokenFactory.Create(protector, random, User, Realm, Email, Pin, Hash, OtpLength, maxFail, Description, now);

    public override string ToString() => $"{User}@{Realm}";
}
