namespace RadiusEmailOtp.Otp.Storage;

/// <summary>The life of a challenge; only <see cref="Open"/> ones can be answered.</summary>
public enum ChallengeStatus
{
    Open,
    Answered,
    Expired,
    Failed,
    Closed,
}
