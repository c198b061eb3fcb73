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
            already_sent_prompt = "already: "
            reject_mode_message = "log in again"
            send_failed_message = "failed"
            bind_state_to_client = "no"
            """;

        var config = AppConfigLoader.Bind("t.toml", text, new ConfigDiagnostics("t.toml"))!;

        Assert.That(config.Realm, Is.EqualTo(new Otp.Realms.RealmSettings("corp.example", "%")));
        Assert.That(config.EmailToken, Is.EqualTo(new EmailTokenSettings(
            8, TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(30), 3, 2, OtpPinMode.OnlyOtp, TimeSpan.FromSeconds(1.5),
            "Code for ${user}", "already: ", "log in again", "failed", false)));
    }

    [TestCase("otp_length = 7", "otp_length")]
    [TestCase("otppin = \"pin\"", "otppin")]
    [TestCase("max_fail = 0", "max_fail")]
    [TestCase("challenge_prompt = \"your code ${otp}\"", "challenge_prompt")]
    [TestCase("challenge_prompt = \"code for ${username}\"", "challenge_prompt: uses unknown placeholder ${username}")]
    [TestCase("challenge_prompt = \"code to ${Email_Masked}\"", "unknown placeholder ${Email_Masked}")]
    [TestCase("colour = \"blue\"", "unknown key \"colour\"")]
    [TestCase("already_sent_prompt = \"code ${otp}\"", "already_sent_prompt")]
    [TestCase("already_sent_prompt = \"sent to ${mail}\"", "already_sent_prompt: uses unknown placeholder ${mail}")]
    [TestCase("reject_mode_message = \"sent to ${mail}\"", "reject_mode_message: uses unknown placeholder ${mail}")]
    [TestCase("send_wait = 61", "send_wait")]
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

    [Test]
    public void The_default_prompts_end_in_a_colon_and_a_space_and_send_wait_is_two_seconds()
    {
        var d = EmailTokenSettings.Default;

        Assert.That(d.ChallengePrompt, Is.EqualTo("Enter the code sent to ${email_masked}: ").And.EndsWith(": "));
        Assert.That(d.AlreadySentPrompt, Is.EqualTo("A code was already sent to ${email_masked}. Enter it: ").And.EndsWith(": "));
        Assert.That(d.RejectModeMessage, Is.EqualTo("A code was sent to ${email_masked}. Log in again with your PIN followed by the code."));
        Assert.That(d.SendWait, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void The_old_name_already_sent_message_still_sets_the_already_sent_prompt()
    {
        var diagnostics = new ConfigDiagnostics("t.toml");

        var config = AppConfigLoader.Bind("t.toml", "[email_token]\nalready_sent_message = \"Sent to ${email_masked}: \"\n", diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        Assert.That(config!.EmailToken.AlreadySentPrompt, Is.EqualTo("Sent to ${email_masked}: "));
        Assert.That(diagnostics.Items.Where(d => d.IsError), Is.Empty);
    }

    [Test]
    public void Setting_both_already_sent_prompt_and_its_old_name_is_an_error_on_the_old_names_line()
    {
        var diagnostics = new ConfigDiagnostics("t.toml");

        var config = AppConfigLoader.Bind(
            "t.toml", "[email_token]\nalready_sent_prompt = \"new: \"\nalready_sent_message = \"old\"\n", diagnostics);

        Assert.That(config, Is.Null);
        Assert.That(
            diagnostics.Items.Single(d => d.IsError).ToString(),
            Does.StartWith("t.toml:3: error: [email_token] already_sent_message").And.Contains("already_sent_prompt").And.Contains("line 2"));
    }

    [TestCase("send_wait = 3", true)]
    [TestCase("send_wait = 4.5", true)]
    [TestCase("send_wait = 2.9", false)]
    [TestCase("send_wait = 0", false)]
    public void A_send_wait_of_three_seconds_or_more_is_a_warning_with_its_line(string line, bool warned)
    {
        var diagnostics = new ConfigDiagnostics("t.toml");

        var config = AppConfigLoader.Bind("t.toml", $"[email_token]\nchallenge_validity = 300\n{line}\n", diagnostics);

        Assert.That(config, Is.Not.Null, "a long send_wait is allowed");
        var warnings = diagnostics.Items.Where(d => !d.IsError).Select(d => d.ToString()).Where(w => w.Contains("send_wait")).ToList();
        Assert.That(warnings, warned
            ? Has.One.StartsWith("t.toml:3: warning: [email_token] send_wait").And.Contains("3 s")
            : Is.Empty);
    }

    [TestCase("challenge_prompt")]
    [TestCase("already_sent_prompt")]
    [TestCase("reject_mode_message")]
    public void A_prompt_that_may_exceed_one_reply_message_is_a_warning_with_its_line(string key)
    {
        var diagnostics = new ConfigDiagnostics("t.toml");
        // 200 bytes of text plus ${email_masked} (counted as 64) may not fit 253 bytes once rendered.
        var prompt = new string('x', 200) + " ${email_masked}: ";

        var config = AppConfigLoader.Bind("t.toml", $"[email_token]\notp_length = 6\n{key} = \"{prompt}\"\n", diagnostics);

        Assert.That(config, Is.Not.Null);
        Assert.That(
            diagnostics.Items.Where(d => !d.IsError).Select(d => d.ToString()),
            Has.One.StartsWith($"t.toml:3: warning: [email_token] {key}").And.Contains("253"));
    }

    [Test]
    public void A_prompt_that_fits_one_reply_message_and_the_defaults_give_no_length_warning()
    {
        var diagnostics = new ConfigDiagnostics("t.toml");
        var prompt = new string('x', 150) + " ${email_masked}: ";

        AppConfigLoader.Bind("t.toml", $"[email_token]\nchallenge_prompt = \"{prompt}\"\n", diagnostics);

        Assert.That(diagnostics.Items.Where(d => d.ToString().Contains("253")), Is.Empty);
        Assert.That(PromptPlaceholders.LengthWarning(EmailTokenSettings.DefaultChallengePrompt), Is.Null);
        Assert.That(PromptPlaceholders.LengthWarning(EmailTokenSettings.DefaultAlreadySentPrompt), Is.Null);
        Assert.That(PromptPlaceholders.LengthWarning(EmailTokenSettings.DefaultRejectModeMessage), Is.Null);
    }

    [Test]
    public void A_policy_challenge_prompt_that_may_exceed_one_reply_message_is_a_warning()
    {
        var diagnostics = new ConfigDiagnostics("t.toml");
        var prompt = new string('y', 260);

        var config = AppConfigLoader.Bind(
            "t.toml", $"[[policy]]\nname = \"long\"\naction = \"email_challenge_prompt={prompt}\"\n", diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        Assert.That(
            diagnostics.Items.Where(d => !d.IsError).Select(d => d.ToString()),
            Has.One.StartsWith("t.toml:3: warning: [[policy]]").And.Contains("email_challenge_prompt").And.Contains("253"));
    }
}
