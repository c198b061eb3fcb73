namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>The SMTPEmailProvider keys of behaviour.md §3, validated. The password is a secret: never log this record.</summary>
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
    bool CheckRevocation = false)
{
    // The record's generated ToString would print the password.
    public override string ToString() => $"{Server}:{Port}{(UseSsl ? " ssl" : StartTls ? " starttls" : string.Empty)}";
}
