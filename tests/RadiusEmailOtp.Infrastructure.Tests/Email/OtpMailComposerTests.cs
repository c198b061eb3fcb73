using System.Net;
using System.Text;
using MimeKit;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Email;
using RadiusEmailOtp.Otp.Email;

namespace RadiusEmailOtp.Infrastructure.Tests.Email;

public sealed class OtpMailComposerTests
{
    private static readonly DateTimeOffset s_now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly MailSettings s_mail = new("otp@example.com", "Your OTP");

    [Test]
    public void Every_placeholder_is_replaced()
    {
        var template = new MailTemplate("t", "From: ${From}\r\nTo: ${To}\r\nSubject: ${Subject}\r\nDate: ${Date}\r\n\r\n"
            + "otp=${otp} serial=${serial} user=${user} realm=${realm} email=${email} validity=${validity} legacy=<otp>/<serial> subject=${Subject} from=${From} to=${To}\r\n");

        var message = RoundTrip(Compose(template: template));
        var text = message.TextBody;

        Assert.That(text, Does.Contain("otp=123456 serial=EM0001 user=alice realm=example.com email=alice@example.com validity=300 legacy=123456/EM0001"));
        Assert.That(text, Does.Contain("subject=Your OTP from=otp@example.com to=alice@example.com"));
        Assert.That(message.From.Mailboxes.Single().Address, Is.EqualTo("otp@example.com"));
        Assert.That(message.To.Mailboxes.Single().Address, Is.EqualTo("alice@example.com"));
        Assert.That(message.Date, Is.EqualTo(s_now));
        Assert.That(text, Does.Not.Contain("${"));
    }

    [Test]
    public void Every_mail_has_the_required_headers()
    {
        var message = RoundTrip(Compose());

        Assert.That(message.MessageId, Is.Not.Empty);
        Assert.That(message.Date, Is.EqualTo(s_now));
        Assert.That(message.Subject, Is.EqualTo("Your OTP"));
        Assert.That(message.From.ToString(), Is.EqualTo("otp@example.com"));
        Assert.That(message.TextBody, Does.Contain("123456"));
        Assert.That(((TextPart)message.Body!).ContentType.Charset, Is.EqualTo("utf-8"));
    }

    [Test]
    public void Written_mail_uses_crlf_and_seven_bit_text()
    {
        var bytes = Bytes(Compose(route: Route(subject: "Código für dich", text: "Grüße ${user}: ${otp}")));
        var text = Encoding.ASCII.GetString(bytes);

        Assert.That(bytes.All(b => b < 128), Is.True);
        Assert.That(text.Replace("\r\n", string.Empty, StringComparison.Ordinal), Does.Not.Contain('\n'));
        Assert.That(text, Does.Contain("Subject: =?utf-8?"));
    }

    [Test]
    public void Non_ascii_subject_and_body_round_trip()
    {
        var template = new MailTemplate("t", "Subject: Ihr Code für ${user} ✓\n\nHallo ${user}, Ihr Code lautet ${otp}. Gültig ${validity} s.\n");

        var message = RoundTrip(Compose(template: template, user: "jürgen"));

        Assert.That(message.Subject, Is.EqualTo("Ihr Code für jürgen ✓"));
        Assert.That(message.TextBody, Does.Contain("Hallo jürgen, Ihr Code lautet 123456. Gültig 300 s."));
    }

    [Test]
    public void Template_subject_wins_over_policy_and_provider_subject()
    {
        var template = new MailTemplate("t", "Subject: From the template\n\n${otp}\n");

        Assert.That(RoundTrip(Compose(template: template, route: Route(subject: "policy"))).Subject, Is.EqualTo("From the template"));
    }

    [Test]
    public void Policy_subject_wins_over_provider_subject_and_feeds_the_subject_placeholder()
    {
        var template = new MailTemplate("t", "Subject: [${Subject}]\n\n${otp}\n");

        Assert.That(RoundTrip(Compose(route: Route(subject: "policy ${user}"))).Subject, Is.EqualTo("policy alice"));
        Assert.That(RoundTrip(Compose(template: template, route: Route(subject: "policy"))).Subject, Is.EqualTo("[policy]"));
        Assert.That(RoundTrip(Compose()).Subject, Is.EqualTo("Your OTP"));
    }

    [Test]
    public void Policy_text_is_used_without_template_and_ignored_with_one()
    {
        var template = new MailTemplate("t", "Subject: s\n\ntemplate ${otp}\n");

        Assert.That(RoundTrip(Compose(route: Route(text: "policy text ${otp}"))).TextBody, Does.StartWith("policy text 123456"));
        Assert.That(RoundTrip(Compose(template: template, route: Route(text: "policy text ${otp}"))).TextBody, Does.StartWith("template 123456"));
    }

    [Test]
    public void Otp_is_appended_only_when_the_body_does_not_name_it()
    {
        var without = RoundTrip(Compose(route: Route(text: "Your code follows.")));
        var with = RoundTrip(Compose(route: Route(text: "Code <otp> here")));

        Assert.That(without.TextBody, Does.Contain("Your code follows.").And.Contain("123456"));
        Assert.That(with.TextBody!.Split("123456").Length - 1, Is.EqualTo(1));
    }

    [Test]
    public void Html_only_template_becomes_multipart_alternative_with_a_text_part()
    {
        var template = new MailTemplate("t", "Subject: s\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>Code: <b>${otp}</b> for ${user}</p></body></html>\n");

        var message = RoundTrip(Compose(template: template, user: "<script>"));

        Assert.That(message.Body, Is.TypeOf<MultipartAlternative>());
        Assert.That(message.TextBody, Does.Contain("Code: 123456"));
        Assert.That(message.HtmlBody, Does.Contain("<b>123456</b>").And.Contain("&lt;script&gt;"));
    }

    [Test]
    public void Shipped_html_template_keeps_both_parts()
    {
        var root = FindRepo();
        Assert.That(MailTemplateLoader.TryLoad("file://otp-html.eml", Path.Combine(root, "config/mailtemplates"), out var template, out var error), Is.True, error);

        var message = RoundTrip(Compose(template: template));

        Assert.That(message.Body, Is.TypeOf<MultipartAlternative>());
        Assert.That(message.TextBody, Does.Contain("123456"));
        Assert.That(message.HtmlBody, Does.Contain("<strong>123456</strong>"));
    }

    [Test]
    public void Header_values_cannot_inject_headers()
    {
        var template = new MailTemplate("t", "Subject: hi ${user}\n\n${otp}\n");

        var message = RoundTrip(Compose(template: template, user: "eve\r\nBcc: victim@example.com"));

        Assert.That(message.Bcc, Is.Empty);
        Assert.That(message.Subject, Does.Contain("eve").And.Contain("Bcc"));
    }

    [Test]
    public void Template_message_id_is_replaced_by_a_fresh_one()
    {
        var template = new MailTemplate("t", "Subject: s\nMessage-ID: <fixed@example.com>\n\n${otp}\n");

        Assert.That(RoundTrip(Compose(template: template)).MessageId, Is.Not.EqualTo("fixed@example.com"));
    }

    [Test]
    public void Unknown_placeholders_are_found_and_never_mailed()
    {
        Assert.That(MailPlaceholders.FindUnknown("${otp} ${OTP} ${nope} ${}"), Is.EqualTo(new[] { "nope", string.Empty }));
        Assert.That(MailPlaceholders.FindUnknown("Your code: <otp>\r\nSerial <serial>\r\n"), Is.Empty, "LinOTP's legacy placeholders are known");
        var message = RoundTrip(Compose(route: Route(text: "${otp} ${nope}")));
        Assert.That(message.TextBody, Does.Not.Contain("${"));
    }

    [TestCase("../secret.eml")]
    [TestCase("sub/../../secret.eml")]
    [TestCase("/etc/passwd")]
    [TestCase("")]
    public void Template_path_escaping_the_root_is_refused(string name)
    {
        var root = Directory.CreateTempSubdirectory("tpl").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "..", "secret.eml"), "Subject: x\n\nx");
            Assert.That(MailTemplateLoader.TryLoad("file://" + name, root, out _, out var error), Is.False);
            Assert.That(error, Is.Not.Empty);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Test]
    public void Symlink_escaping_the_root_is_refused_and_inside_link_is_allowed()
    {
        var root = Directory.CreateTempSubdirectory("tpl").FullName;
        var outside = Path.GetTempFileName();
        try
        {
            File.WriteAllText(outside, "Subject: x\n\nx");
            File.WriteAllText(Path.Combine(root, "real.eml"), "Subject: x\n\nx");
            File.CreateSymbolicLink(Path.Combine(root, "escape.eml"), outside);
            File.CreateSymbolicLink(Path.Combine(root, "inside.eml"), Path.Combine(root, "real.eml"));

            Assert.That(MailTemplateLoader.TryLoad("file://escape.eml", root, out _, out var error), Is.False);
            Assert.That(error, Does.Contain("outside"));
            Assert.That(MailTemplateLoader.TryLoad("file://inside.eml", root, out var template, out _), Is.True);
            Assert.That(template!.Text, Does.StartWith("Subject"));
        }
        finally
        {
            Directory.Delete(root, true);
            File.Delete(outside);
        }
    }

    internal static OtpMailRequest Request(string user = "alice") =>
        new("EM0001", user, "example.com", "alice@example.com", "123456", TimeSpan.FromMinutes(5), IPAddress.Loopback);

    private static EmailRoute Route(string? subject = null, string? text = null) => new(["p"], subject, text);

    private static MimeMessage Compose(MailTemplate? template = null, EmailRoute? route = null, string user = "alice") =>
        OtpMailComposer.Compose(Request(user), route ?? new EmailRoute(["p"]), s_mail, template, s_now);

    private static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    private static MimeMessage RoundTrip(MimeMessage message) => MimeMessage.Load(new MemoryStream(Bytes(message)));

    private static string FindRepo()
    {
        var dir = TestContext.CurrentContext.TestDirectory;
        while (!File.Exists(Path.Combine(dir, "RadiusEmailOtp.sln")))
        {
            dir = Path.GetDirectoryName(dir)!;
        }

        return dir;
    }
}
