namespace RadiusEmailOtp.Otp.Storage;

/// <summary>Where the challenge's mail is: still with the sender, taken by a provider, or failed on every provider.</summary>
public enum DeliveryStatus
{
    Pending,
    Sent,
    Failed,
}
