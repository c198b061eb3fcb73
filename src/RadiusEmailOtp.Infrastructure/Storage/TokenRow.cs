using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>A <c>tokens</c> row as Dapper reads it.</summary>
internal sealed class TokenRow
{
    public const string Columns = """
        serial AS Serial, user_name AS UserName, realm AS Realm, email AS Email, pin_salt AS PinSalt, pin_hash AS PinHash,
        seed_nonce AS SeedNonce, seed_ciphertext AS SeedCiphertext, hash_algorithm AS HashAlgorithm, otp_length AS OtpLength,
        counter AS Counter, failcount AS FailCount, max_fail AS MaxFail, active AS Active, description AS Description,
        created_at AS CreatedAt, updated_at AS UpdatedAt, last_failure_at AS LastFailureAt,
        resolver AS Resolver, origin AS Origin
        """;

    public string Serial { get; set; } = string.Empty;

    public string UserName { get; set; } = string.Empty;

    public string Realm { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    public byte[] PinSalt { get; set; } = [];

    public byte[] PinHash { get; set; } = [];

    public byte[] SeedNonce { get; set; } = [];

    public byte[] SeedCiphertext { get; set; } = [];

    public string HashAlgorithm { get; set; } = string.Empty;

    public long OtpLength { get; set; }

    public long Counter { get; set; }

    public long FailCount { get; set; }

    public long MaxFail { get; set; }

    public long Active { get; set; }

    public string Description { get; set; } = string.Empty;

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public long? LastFailureAt { get; set; }

    public string Resolver { get; set; } = EmailToken.LocalResolver;

    public string Origin { get; set; } = EmailToken.AdminOrigin;

    public EmailToken ToToken()
    {
        OtpHashAlgorithmNames.TryParse(HashAlgorithm, out var hash);
        return new EmailToken(
            Serial, UserName, Realm, Email, PinSalt, PinHash, SeedNonce, SeedCiphertext, hash, (int)OtpLength, Counter,
            (int)FailCount, (int)MaxFail, Active != 0, Description,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt))
        {
            LastFailure = LastFailureAt is { } failed ? DateTimeOffset.FromUnixTimeMilliseconds(failed) : null,
            Resolver = Resolver,
            AutoEnrolled = Origin == EmailToken.AutoEnrollOrigin,
        };
    }
}
