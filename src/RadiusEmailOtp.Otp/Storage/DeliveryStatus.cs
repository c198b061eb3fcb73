namespace RadiusEmailOtp.Otp.Storage;

/// <summary>
/// Where the challenge's mail is: still with the sender, accepted by a provider (the server took it; not proof it reached
/// the mailbox), or failed on every provider.
/// </summary>
public enum DeliveryStatus
{
    Pending,
    Accepted,
    Failed,
}
