using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Otp.Engine;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

public sealed class EmailTokenSettingsBinderTests
{
    [Test]
    public void Absent_sections_give_the_documented_defaults()
    {
        var config = AppConfigLoader.Bind("t.toml", "[server]\n", new ConfigDiagnostics("t.toml"));

        Assert.That(config!.EmailToken, Is.EqualTo(EmailTokenSettings.Default));
        Assert.That(config.Realm.Default, Is.EqualTo("example.com"));
        Assert.That(config.Realm.Separator, Is.EqualTo("@"));
    }

    [Test]
    public void Every_key_is_bound()
    {
        const string text = """
            [realm]
            default = "Corp.Example"
            separator = "%"
            [email_token]
            otp_length = 8
            challenge_validity = "600"
            blocking_timeout = 30
            max_fail = 3
            max_attempts_per_challenge = 2
            otppin = "ONLY_OTP"
            send_wait = 1.5
            challenge_prompt = "Code for ${user}"
            already_sent_message = "already"
            send_failed_message = "failed"
            bind_state_to_client = "no"
            """;

        var config = AppConfigLoader.Bind("t.toml", text, new ConfigDiagnostics("t.toml"))!;

        Assert.That(config.Realm, Is.EqualTo(new Otp.Realms.RealmSettings("corp.example", "%")));
        Assert.That(config.EmailToken, Is.EqualTo(new EmailTokenSettings(
            8, TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(30), 3, 2, OtpPinMode.OnlyOtp, TimeSpan.FromSeconds(1.5),
            "Code for ${user}", "already", "failed", false)));
    }

    [TestCase("otp_length = 7", "otp_length")]
    [TestCase("otppin = \"pin\"", "otppin")]
    [TestCase("max_fail = 0", "max_fail")]
    [TestCase("challenge_prompt = \"your code ${otp}\"", "challenge_prompt")]
    [TestCase("challenge_prompt = \"code for ${username}\"", "challenge_prompt: uses unknown placeholder ${username}")]
    [TestCase("challenge_prompt = \"code to ${Email_Masked}\"", "unknown placeholder ${Email_Masked}")]
    [TestCase("colour = \"blue\"", "unknown key \"colour\"")]
    public void Bad_values_and_unknown_keys_are_errors_with_their_line(string line, string expected)
    {
        var diagnostics = new ConfigDiagnostics("t.toml");

        var config = AppConfigLoader.Bind("t.toml", $"[email_token]\n{line}\n", diagnostics);

        Assert.That(config, Is.Null);
        Assert.That(diagnostics.Items.Single(d => d.IsError).ToString(), Does.Contain(expected).And.Contain(":2"));
    }

    [Test]
    public void The_shipped_config_loads()
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../../config/config.toml");

        var config = AppConfigLoader.Load(path, out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        Assert.That(config!.EmailToken, Is.EqualTo(EmailTokenSettings.Default));
    }
}
