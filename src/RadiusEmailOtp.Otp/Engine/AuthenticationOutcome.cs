namespace RadiusEmailOtp.Otp.Engine;

/// <summary>What the NAS is told.</summary>
public enum AuthenticationOutcome
{
    Accept,
    Reject,
    Challenge,
}
