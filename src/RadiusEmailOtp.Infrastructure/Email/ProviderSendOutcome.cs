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
}
