using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;
using RadiusEmailOtp.Otp.Email;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// Builds the OTP mail. Precedence, most important first:
/// body — the provider's TEMPLATE, else the policy's <c>emailtext</c>, else a built-in text;
/// subject — the template's own Subject header, else the policy's <c>emailsubject</c>, else the provider's EMAIL_SUBJECT.
/// The OTP is appended only when the body names neither <c>${otp}</c> nor <c>&lt;otp&gt;</c> (behaviour.md §3, fix G1).
/// Every mail gets Date, a fresh Message-ID, From, To, Subject, UTF-8 text and 7-bit safe transfer encodings.
/// </summary>
internal static partial class OtpMailComposer
{
    public const string DefaultText = "Your one-time password is ${otp}\r\nIt is valid for ${validity} seconds.\r\n";

    public static MimeMessage Compose(OtpMailRequest request, EmailRoute route, MailSettings settings, MailTemplate? template, DateTimeOffset now)
    {
        var subject = route.Subject ?? settings.Subject;
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["otp"] = request.Otp,
            ["serial"] = request.Serial,
            ["user"] = request.User,
            ["realm"] = request.Realm,
            ["email"] = request.Email,
            ["validity"] = ((long)request.Validity.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ["From"] = settings.From,
            ["To"] = request.Email,
            ["Date"] = DateUtils.FormatDate(now),
        };
        values["Subject"] = MailPlaceholders.Substitute(subject, values, PlaceholderContext.Header);

        var message = template is null ? FromText(route.Text ?? DefaultText, values) : FromTemplate(template, values);
        // new MimeMessage() pre-fills Date and an empty Subject, so only a template's own headers count as set.
        if (template is null || !message.Headers.Contains(HeaderId.Subject))
        {
            message.Subject = values["Subject"];
        }

        if (message.From.Count == 0)
        {
            message.From.Add(MailboxAddress.Parse(settings.From));
        }

        if (message.To.Count == 0)
        {
            message.To.Add(MailboxAddress.Parse(request.Email));
        }

        if (template is null || !message.Headers.Contains(HeaderId.Date))
        {
            message.Date = now;
        }

        // A template must not pin the Message-ID: every mail needs its own.
        var domain = message.From.Mailboxes.FirstOrDefault()?.Domain;
        message.MessageId = MimeUtils.GenerateMessageId(string.IsNullOrEmpty(domain) ? "localhost" : domain);
        message.MimeVersion = new Version(1, 0);
        ReencodeHeaders(message);
        EnsureTextAlternative(message);
        message.Prepare(EncodingConstraint.SevenBit);
        return message;
    }

    private static MimeMessage FromText(string text, Dictionary<string, string> values)
    {
        var body = MailPlaceholders.Substitute(text, values, PlaceholderContext.Text);
        if (!MailPlaceholders.MentionsOtp(text))
        {
            body = AppendOtp(body, values["otp"], html: false);
        }

        var part = new TextPart("plain");
        part.SetText(Encoding.UTF8, NormalizeNewLines(body));
        return new MimeMessage { Body = part };
    }

    private static MimeMessage FromTemplate(MailTemplate template, Dictionary<string, string> values)
    {
        var raw = MailPlaceholders.Substitute(template.Headers, values, PlaceholderContext.Header) + template.Rest;
        var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw)));
        var appendOtp = !template.MentionsOtp;
        foreach (var part in message.BodyParts.OfType<TextPart>().ToList())
        {
            if (part.IsAttachment)
            {
                continue;
            }

            var body = MailPlaceholders.Substitute(part.Text, values, part.IsHtml ? PlaceholderContext.Html : PlaceholderContext.Text);
            if (appendOtp)
            {
                body = AppendOtp(body, values["otp"], part.IsHtml);
            }

            part.SetText(Encoding.UTF8, NormalizeNewLines(body));
        }

        return message;
    }

    private static string AppendOtp(string body, string otp, bool html)
    {
        if (!html)
        {
            return body.TrimEnd() + "\r\n\r\n" + otp + "\r\n";
        }

        var close = body.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        var paragraph = "<p>" + WebUtility.HtmlEncode(otp) + "</p>\r\n";
        return close < 0 ? body + paragraph : body.Insert(close, paragraph);
    }

    // Template headers may carry raw UTF-8 (typed into the .eml or substituted); RFC 2047-encode them.
    private static void ReencodeHeaders(MimeMessage message)
    {
        foreach (var header in message.Headers)
        {
            if (header.Value.Any(c => c > 127))
            {
                header.SetValue(FormatOptions.Default, Encoding.UTF8, header.Value);
            }
        }
    }

    // An HTML-only mail is unreadable in text clients and scores as spam: add a text part beside it.
    private static void EnsureTextAlternative(MimeMessage message)
    {
        var html = message.BodyParts.OfType<TextPart>().FirstOrDefault(p => p.IsHtml && !p.IsAttachment);
        if (html is null || message.BodyParts.OfType<TextPart>().Any(p => p.IsPlain && !p.IsAttachment))
        {
            return;
        }

        var text = new TextPart("plain");
        text.SetText(Encoding.UTF8, HtmlToText(html.Text));
        var alternative = new MultipartAlternative { text, html };
        if (ReferenceEquals(message.Body, html))
        {
            message.Body = alternative;
            return;
        }

        foreach (var multipart in Descendants(message.Body!))
        {
            var index = multipart.IndexOf(html);
            if (index >= 0)
            {
                multipart[index] = alternative;
                return;
            }
        }
    }

    private static IEnumerable<Multipart> Descendants(MimeEntity entity)
    {
        if (entity is Multipart multipart)
        {
            yield return multipart;
            foreach (var child in multipart)
            {
                foreach (var nested in Descendants(child))
                {
                    yield return nested;
                }
            }
        }
    }

    private static string HtmlToText(string html)
    {
        var text = BlockTag().Replace(html, "\r\n");
        text = AnyTag().Replace(text, string.Empty);
        text = WebUtility.HtmlDecode(text);
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);
        return string.Join("\r\n", lines) + "\r\n";
    }

    private static string NormalizeNewLines(string text) => text.ReplaceLineEndings("\r\n");

    [GeneratedRegex(@"<\s*(br|/p|/div|/h[1-6]|/tr|/li)\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BlockTag();

    [GeneratedRegex(@"<(style|script)\b.*?</\1\s*>|<[^>]*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex AnyTag();
}
