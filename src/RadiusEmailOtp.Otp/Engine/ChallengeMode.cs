namespace RadiusEmailOtp.Otp.Engine;

/// <summary>How a NAS is told that an OTP was mailed (per client, behaviour.md §2).</summary>
public enum ChallengeMode
{
    /// <summary>Access-Challenge with State and a prompt: the NAS asks the user for the code.</summary>
    Challenge,

    /// <summary>Access-Reject with the prompt: for NAS that cannot do challenges; the user logs in again with PIN+OTP.</summary>
    Reject,
}
