namespace RadiusEmailOtp.Otp.Engine;

/// <summary>What a PIN step did about mail, so the caller can log it without parsing <see cref="AuthenticationResult.Reason"/>.</summary>
public enum MailStep
{
    /// <summary>No challenge was issued or repeated (an accept, or a reject that is a failed login).</summary>
    None,

    /// <summary>A new challenge; a provider accepted its mail within send_wait.</summary>
    Mailed,

    /// <summary>A new challenge; its mail was still being delivered when the reply left.</summary>
    MailPending,

    /// <summary>The blocking window returned the open challenge again; no new mail left.</summary>
    AlreadyMailed,
}
