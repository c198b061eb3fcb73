using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

/// <summary>How a TEMPLATE value is told apart (file, inline message, mistake) and how a mis-quoted JSON config is explained.</summary>
public sealed class TemplateAndJsonDetectionTests
{
    [TestCase("Subject: Your code\n\nCode: ${otp}\n")]
    [TestCase("From: otp@example.com\r\nSubject: Your\r\n code\r\n\r\nCode ${otp}\r\n")]
    public void A_header_block_then_a_blank_line_is_an_inline_template(string template)
    {
        var config = Load(template, out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        Assert.That(config!.EmailProviders.Single().Template, Is.EqualTo(template));
    }

    [TestCase("mail.example.com:25/enroll.eml")]
    [TestCase("http://example.com/enroll.eml")]
    [TestCase("Your code: ${otp}")]
    [TestCase("Subject: no blank line and no body")]
    [TestCase("enroll2user.eml")]
    public void Text_with_a_colon_but_no_header_block_is_a_config_error_saying_what_was_expected(string template)
    {
        Load(template, out var diagnostics);

        var error = diagnostics.Items.Single(d => d.IsError);
        Assert.That(error.Message, Does.Contain("TEMPLATE").And.Contain("file://NAME.eml").And.Contain("blank line"));
    }

    [TestCase("{ \"SMTP_SERVER\": 'mail.example.com' }")]
    [TestCase("{ 'SMTP_SERVER': \"mail.example.com\", \"PORT\": \"25\" }")]
    [TestCase("{ \"SMTP_SERVER\": \"mail.example.com\", 'PORT': '25' }")]
    public void Mixed_quote_json_gets_the_double_quotes_message(string json)
    {
        var diagnostics = new ConfigDiagnostics("test.toml");
        AppConfigLoader.Bind("test.toml", $"[[email_provider]]\nname = \"c\"\nclass = \"SMTPEmailProvider\"\nconfig = \"\"\"{json}\"\"\"\n", diagnostics);

        var error = diagnostics.Items.Single(d => d.IsError);
        Assert.That(error.Message, Does.Contain("single quotes").And.Contain("double quotes"));
    }

    [Test]
    public void Broken_json_with_an_apostrophe_inside_a_value_gets_the_parser_message()
    {
        var diagnostics = new ConfigDiagnostics("test.toml");
        AppConfigLoader.Bind("test.toml", "[[email_provider]]\nname = \"c\"\nclass = \"SMTPEmailProvider\"\nconfig = '{ \"EMAIL_SUBJECT\": \"it\"s\" }'\n", diagnostics);

        var error = diagnostics.Items.Single(d => d.IsError);
        Assert.That(error.Message, Does.Contain("is not valid JSON").And.Not.Contain("single quotes"));
    }

    private static AppConfig? Load(string template, out ConfigDiagnostics diagnostics)
    {
        diagnostics = new ConfigDiagnostics("test.toml");
        var escaped = template.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return AppConfigLoader.Bind(
            "test.toml",
            $"[[email_provider]]\nname = \"c\"\nclass = \"PickupDirectoryEmailProvider\"\ndefault = true\nconfig = {{ TEMPLATE = \"{escaped}\" }}\n",
            diagnostics);
    }
}
