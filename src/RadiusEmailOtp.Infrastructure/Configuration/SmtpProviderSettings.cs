namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// The SMTPEmailProvider keys of behaviour.md §3 and the session pool's (POOL_SIZE, MAX_MESSAGES_PER_SESSION), validated.
/// The password is a secret: never log this record.
/// </summary>
public sealed record SmtpProviderSettings(
    string Server,
    int Port,
    bool UseSsl,
    bool StartTls,
    string? User,
    string? Password,
    string? CertFile,
    string? KeyFile,
    string? CaFile,
    bool TlsVerify,
    bool CheckRevocation = false,
    int PoolSize = SmtpProviderSettings.DefaultPoolSize,
    int MaxMessagesPerSession = SmtpProviderSettings.DefaultMaxMessagesPerSession)
{
    /// <summary>POOL_SIZE: sessions open at once towards the server; most MTAs accept 10 or more per client.</summary>
    public const int DefaultPoolSize = 4;

    public const int MaxPoolSize = 64;

    /// <summary>
    /// MAX_MESSAGES_PER_SESSION: a session is closed with QUIT after this many mails and a new one opened. Exchange's
    /// receive connectors refuse more than 20 messages per connection by default (MaxMessagesPerConnection).
    /// </summary>
    public const int DefaultMaxMessagesPerSession = 20;

    public const int MaxMessagesPerSessionLimit = 10_000;

    // The record's generated ToString would print the password.
    public override string ToString() => $"{Server}:{Port}{(UseSsl ? " ssl" : StartTls ? " starttls" : string.Empty)}";
}
