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
    /// <summary>The resolver of a token enrolled before resolvers existed, or for a user of the token table itself.</summary>
    public const string LocalResolver = "local";

    /// <summary>Stored <c>origin</c> values: enrolled by an admin (enroll, import) or on a first login (autoenroll).</summary>
    public const string AdminOrigin = "admin";

    public const string AutoEnrollOrigin = "autoenroll";

    public bool IsLocked => FailCount >= MaxFail;

    /// <summary>The resolver the user came from; <see cref="LocalResolver"/> for users of the token table.</summary>
    public string Resolver { get; init; } = LocalResolver;

    /// <summary>Created on a first login by autoenroll; a user has at most one such token (a unique index elects it).</summary>
    public bool AutoEnrolled { get; init; }

    /// <summary>No fixed address: each mail goes to the directory's current address for the user.</summary>
    public bool UsesDirectoryAddress => Email.Length == 0;

    /// <summary>When the failcount last went up (null: never since it was last cleared, or not known).</summary>
    public DateTimeOffset? LastFailure { get; init; }
}
