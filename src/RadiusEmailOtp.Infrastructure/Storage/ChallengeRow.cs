using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>A <c>challenges</c> row as Dapper reads it.</summary>
internal sealed class ChallengeRow
{
    public const string Columns = """
        id AS Id, state AS State, serial AS Serial, counter AS Counter, user_name AS UserName, realm AS Realm, client AS Client,
        created_at AS CreatedAt, expires_at AS ExpiresAt, status AS Status, attempts AS Attempts, delivery_status AS DeliveryStatus,
        provider AS Provider, message_id AS MessageId, delivery_error AS DeliveryError, delivery_ms AS DeliveryMs
        """;

    public long Id { get; set; }

    public string State { get; set; } = string.Empty;

    public string Serial { get; set; } = string.Empty;

    public long Counter { get; set; }

    public string UserName { get; set; } = string.Empty;

    public string Realm { get; set; } = string.Empty;

    public string Client { get; set; } = string.Empty;

    public long CreatedAt { get; set; }

    public long ExpiresAt { get; set; }

    public string Status { get; set; } = string.Empty;

    public long Attempts { get; set; }

    public string DeliveryStatus { get; set; } = string.Empty;

    public string? Provider { get; set; }

    public string? MessageId { get; set; }

    public string? DeliveryError { get; set; }

    public long? DeliveryMs { get; set; }

    public static string StatusName(ChallengeStatus status) => status.ToString().ToLowerInvariant();

    public static string DeliveryName(Otp.Storage.DeliveryStatus status) => status.ToString().ToLowerInvariant();

    public OtpChallenge ToChallenge() => new(
        Id, State, Serial, Counter, UserName, Realm, Client,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAt),
        Enum.TryParse<ChallengeStatus>(Status, ignoreCase: true, out var status) ? status : ChallengeStatus.Closed,
        (int)Attempts,
        Enum.TryParse<Otp.Storage.DeliveryStatus>(DeliveryStatus, ignoreCase: true, out var delivery) ? delivery : Otp.Storage.DeliveryStatus.Pending,
        Provider, MessageId, DeliveryError)
    {
        DeliveryDuration = DeliveryMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
    };
}
