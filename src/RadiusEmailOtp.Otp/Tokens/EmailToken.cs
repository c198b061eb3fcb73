namespace RadiusEmailOtp.Otp.Tokens;

/// <summary>
/// An e-mail token as stored. The PIN is only a keyed salted hash and the seed only AES-GCM ciphertext;
/// <see cref="TokenProtector"/> checks and opens them.
/// </summary>
public sealed record EmailToken(
    string Serial,
    string User,
    string Realm,
    string Email,
    byte[] PinSalt,
    byte[] PinHash,
    byte[] SeedNonce,
    byte[] SeedCiphertext,
    OtpHashAlgorithm Hash,
    int OtpLength,
    long Counter,
    int FailCount,
    int MaxFail,
    bool Active,
    string Description,
    DateTimeOffset Created,
    DateTimeOffset Updated)
{
    public bool IsLocked => FailCount >= MaxFail;

    /// <summary>When the failcount last went up (null: never since it was last cleared, or not known).</summary>
    public DateTimeOffset? LastFailure { get; init; }
}
