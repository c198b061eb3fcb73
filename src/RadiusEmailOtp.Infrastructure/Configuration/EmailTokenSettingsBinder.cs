using RadiusEmailOtp.Otp.Engine;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Validates the <c>[email_token]</c> table into <see cref="EmailTokenSettings"/> (LinOTP names in config.toml).</summary>
public static class EmailTokenSettingsBinder
{
    public static EmailTokenSettings Bind(ConfigSection? section, ConfigDiagnostics diagnostics)
    {
        section ??= new ConfigSection(new Toml.TomlTableNode(1), "[email_token]", diagnostics);
        var d = EmailTokenSettings.Default;
        var otpLength = section.Int("otp_length", d.OtpLength, 6, 8);
        if (otpLength == 7)
        {
            section.Error("otp_length", "must be 6 or 8");
            otpLength = d.OtpLength;
        }

        var otpPin = OtpPin(section) ?? d.OtpPin;

        var sendWait = section.Seconds("send_wait", d.SendWait.TotalSeconds, 0, 60);
        WarnIfSendWaitLong(section, sendWait);

        var settings = new EmailTokenSettings(
            otpLength,
            TimeSpan.FromSeconds(section.Int("challenge_validity", (int)d.ChallengeValidity.TotalSeconds, 10, 86_400)),
            TimeSpan.FromSeconds(section.Int("blocking_timeout", (int)d.BlockingTimeout.TotalSeconds, 0, 86_400)),
            section.Int("max_fail", d.MaxFail, 1, 1_000_000),
            section.Int("max_attempts_per_challenge", d.MaxAttemptsPerChallenge, 1, 1_000),
            otpPin,
            TimeSpan.FromSeconds(sendWait),
            Prompt(section, "challenge_prompt", d.ChallengePrompt),
            AlreadySentPrompt(section, d.AlreadySentPrompt),
            Prompt(section, "reject_mode_message", d.RejectModeMessage),
            Text(section, "send_failed_message", d.SendFailedMessage),
            section.Bool("bind_state_to_client", d.BindStateToClient))
        {
            FailCountClearTimeout = TimeSpan.FromSeconds(section.Int("failcount_clear_timeout", (int)d.FailCountClearTimeout.TotalSeconds, 0, 31_536_000)),
            MaxMailsPerWindow = section.Int("max_mails_per_window", d.MaxMailsPerWindow, 1, 1_000),
            MailWindow = TimeSpan.FromSeconds(section.Int("mail_window", (int)d.MailWindow.TotalSeconds, 1, 86_400)),
            AutoEnroll = section.Bool("autoenroll", d.AutoEnroll),
        };
        section.ReportUnknownKeys();
        return settings;
    }

    /// <summary>
    /// The <c>otppin</c> key of <c>[email_token]</c> or of a <c>[realms."NAME"]</c> table; null when absent (or wrong,
    /// which is reported).
    /// </summary>
    public static OtpPinMode? OtpPin(ConfigSection section)
    {
        if (!section.Has("otppin"))
        {
            return null;
        }

        return section.Choice("otppin", string.Empty, "token_pin", "only_otp", "ignore_pin", "password") switch
        {
            "token_pin" => OtpPinMode.TokenPin,
            "only_otp" => OtpPinMode.OnlyOtp,
            "ignore_pin" => OtpPinMode.IgnorePin,
            "password" => OtpPinMode.Password,
            _ => null,
        };
    }

    /// <summary>
    /// pam_radius's smallest timeout is 3 s: a reply held that long behind a slow SMTP server arrives after the NAS gave up.
    /// Used for <c>[email_token]</c> and for a <c>[[client]]</c>'s own <c>send_wait</c>.
    /// </summary>
    public static void WarnIfSendWaitLong(ConfigSection section, double sendWait)
    {
        if (section.Has("send_wait") && sendWait >= 3)
        {
            section.Warning(
                "send_wait",
                $"{sendWait.ToString(System.Globalization.CultureInfo.InvariantCulture)} s reaches the timeout of NAS that wait only 3 s (pam_radius); behind a slow SMTP server the reply comes too late. Keep it below 3 (default {EmailTokenSettings.Default.SendWait.TotalSeconds})");
        }
    }

    /// <summary><c>already_sent_prompt</c>, or its old name <c>already_sent_message</c>; both at once is an error.</summary>
    private static string AlreadySentPrompt(ConfigSection section, string defaultValue)
    {
        const string key = "already_sent_prompt";
        const string alias = "already_sent_message";
        if (section.Has(key) && section.Has(alias))
        {
            // Which one would win is a guess either way: let the operator decide.
            section.Error(alias, $"is the old name of {key}, which is set too (line {section.LineOf(key)}); keep one of them");
            _ = section.String(alias);
            return Prompt(section, key, defaultValue);
        }

        return Prompt(section, section.Has(alias) ? alias : key, defaultValue);
    }

    private static string Prompt(ConfigSection section, string key, string defaultValue)
    {
        var value = Text(section, key, defaultValue);
        var unknown = PromptPlaceholders.FindUnknown(value);
        foreach (var name in unknown)
        {
            // The renderer leaves an unknown placeholder as it is, and the NAS would show "${...}" to the user.
            section.Error(key, $"uses unknown placeholder ${{{name}}}; known: {PromptPlaceholders.Describe()}");
        }

        if (unknown.Count > 0)
        {
            return defaultValue;
        }

        if (section.Has(key) && PromptPlaceholders.LengthWarning(value) is { } warning)
        {
            section.Warning(key, warning);
        }

        return value;
    }

    private static string Text(ConfigSection section, string key, string defaultValue)
    {
        var value = section.String(key, defaultValue)!;
        if (value.Contains("${otp}", StringComparison.Ordinal) || value.Contains("<otp>", StringComparison.Ordinal))
        {
            // The prompt goes to the NAS, not the mailbox: an OTP in it would defeat the second factor.
            section.Error(key, "must not contain the OTP placeholder");
            return defaultValue;
        }

        return value;
    }
}
