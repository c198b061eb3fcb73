namespace RadiusEmailOtp.Otp.Engine;

/// <summary>What the NAS is told.</summary>
public enum AuthenticationOutcome
{
    Accept,
    Reject,
    Challenge,

    /// <summary>Nothing: the request's <see cref="AuthenticationRequest.AnswerBy"/> passed before a mail was started, and nothing was written.</summary>
    Drop,
}
