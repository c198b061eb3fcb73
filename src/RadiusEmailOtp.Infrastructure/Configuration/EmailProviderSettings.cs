namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// One <c>[[email_provider]]</c>: its name, class, timeout, the common mail keys (EMAIL_FROM, EMAIL_SUBJECT, TEMPLATE)
/// and the class-specific part (<see cref="Smtp"/> or <see cref="PickupDirectory"/>).
/// </summary>
public sealed record EmailProviderSettings(
    string Name,
    EmailProviderKind Kind,
    bool IsDefault,
    ProviderTimeout Timeout,
    string From,
    string Subject,
    string? Template,
    SmtpProviderSettings? Smtp,
    string? PickupDirectory,
    int Line)
{
    public const string DefaultFrom = "linotp@example.com";
    public const string DefaultSubject = "Your OTP";

    /// <summary>Pickup only: days an .eml file is kept (<c>RETENTION_DAYS</c>, default 7); 0 keeps every mail.</summary>
    public int RetentionDays { get; init; } = Email.PickupDirectoryEmailProvider.DefaultRetentionDays;
}
