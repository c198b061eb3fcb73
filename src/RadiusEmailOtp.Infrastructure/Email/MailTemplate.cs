namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>A complete MIME message with placeholders, as read from a <c>.eml</c> file or an inline TEMPLATE value.</summary>
internal sealed record MailTemplate(string Source, string Text);
