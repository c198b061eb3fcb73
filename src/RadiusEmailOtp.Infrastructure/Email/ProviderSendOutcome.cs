namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>What a provider's failure means for the caller.</summary>
public enum ProviderSendOutcome
{
    /// <summary>The server (or directory) took the mail.</summary>
    Accepted,

    /// <summary>Connect failure, timeout, 4xx, dropped connection: another provider or a later try may work.</summary>
    Transient,

    /// <summary>5xx (recipient refused), authentication or TLS failure: retrying the same provider will not help.</summary>
    Permanent,

    /// <summary>
    /// The whole mail was handed over and the connection ended (or timed out) before the server's answer: it may have
    /// been accepted. Sending it again, here or through another provider, could give the user two codes.
    /// </summary>
    Unknown,
}
