namespace RadiusEmailOtp.Otp.Storage;

/// <summary>
/// Where the challenge's mail is: still with the sender, accepted by a provider (the server took it; not proof it reached
/// the mailbox), failed on every provider, or interrupted: the server stopped before a provider answered, so the mail
/// may or may not have left.
/// </summary>
public enum DeliveryStatus
{
    Pending,
    Accepted,
    Failed,
    Interrupted,
}
