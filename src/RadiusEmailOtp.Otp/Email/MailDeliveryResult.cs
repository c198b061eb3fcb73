namespace RadiusEmailOtp.Otp.Email;

/// <summary>The outcome of one OTP mail: which provider took it (or the last one tried), its reply, and how long it took.</summary>
public sealed record MailDeliveryResult(
    bool Accepted,
    string? Provider,
    string? MessageId,
    string? Reply,
    string? Error,
    TimeSpan Duration)
{
    /// <summary>
    /// Not accepted, but perhaps delivered: the connection ended after the whole mail was handed over and before the
    /// server answered. Never sent again through another provider (the user could get two codes).
    /// </summary>
    public bool Unknown { get; init; }
}
