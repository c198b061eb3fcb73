namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>The provider's mail keys the composer needs: EMAIL_FROM and EMAIL_SUBJECT.</summary>
internal sealed record MailSettings(string From, string Subject);
