namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// A complete MIME message with placeholders, as read from a <c>.eml</c> file or an inline TEMPLATE value. What does
/// not depend on the mail (CRLF line ends, the split into header block and rest, whether it names the OTP) is worked
/// out once here, not for every mail.
/// </summary>
internal sealed record MailTemplate(string Source, string Text)
{
    private readonly (string Headers, string Body) _parts = Split(Text.ReplaceLineEndings("\r\n"));

    /// <summary>The header block, CRLF line ends, without the blank line that ends it (the whole text when there is none).</summary>
    public string Headers => _parts.Headers;

    /// <summary>From the blank line after the headers to the end, CRLF line ends (empty when there is no blank line).</summary>
    public string Rest => _parts.Body;

    /// <summary>True when the template names the OTP itself, so the composer must not append it.</summary>
    public bool MentionsOtp { get; } = MailPlaceholders.MentionsOtp(Text);

    private static (string Headers, string Body) Split(string text)
    {
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return split < 0 ? (text, string.Empty) : (text[..split], text[split..]);
    }
}
