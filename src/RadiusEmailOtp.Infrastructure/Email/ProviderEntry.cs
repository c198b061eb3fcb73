namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>A provider with what the composer needs for its mails (EMAIL_FROM, EMAIL_SUBJECT, TEMPLATE).</summary>
internal sealed record ProviderEntry(IEmailProvider Provider, MailSettings Mail, MailTemplate? Template);
