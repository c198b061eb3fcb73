namespace RadiusEmailOtp.Otp.Storage;

/// <summary>
/// One mailed OTP for one token. A State that covers several tokens has one row per token. The OTP itself is never
/// stored: it is recomputed from the seed and <see cref="Counter"/>.
/// </summary>
public sealed record OtpChallenge(
    long Id,
    string State,
    string Serial,
    long Counter,
    string User,
    string Realm,
    string Client,
    DateTimeOffset Created,
    DateTimeOffset Expires,
    ChallengeStatus Status,
    int Attempts,
    DeliveryStatus Delivery,
    string? Provider,
    string? MessageId,
    string? DeliveryError)
{
    /// <summary>How long the delivery took over every provider tried; null while it is pending.</summary>
    public TimeSpan? DeliveryDuration { get; init; }
}
