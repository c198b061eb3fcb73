namespace RadiusEmailOtp.Otp.Storage;

/// <summary>
/// Where the challenge's mail is: still with the sender, accepted by a provider (the server took it; not proof it reached
/// the mailbox), failed on every provider, or interrupted: the server stopped before a provider answered, so the mail
/// may or may not have left; or unknown: the connection ended after the whole mail was handed over, before the server's
/// answer, so it may have been accepted (the challenge stays answerable and the mail is not sent again elsewhere).
/// </summary>
public enum DeliveryStatus
{
    Pending,
    Accepted,
    Failed,
    Interrupted,
    Unknown,
}
