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

        var otpPin = section.Choice("otppin", "token_pin", "token_pin", "only_otp", "ignore_pin") switch
        {
            "only_otp" => OtpPinMode.OnlyOtp,
            "ignore_pin" => OtpPinMode.IgnorePin,
            _ => OtpPinMode.TokenPin,
        };

        var settings = new EmailTokenSettings(
            otpLength,
            TimeSpan.FromSeconds(section.Int("challenge_validity", (int)d.ChallengeValidity.TotalSeconds, 10, 86_400)),
            TimeSpan.FromSeconds(section.Int("blocking_timeout", (int)d.BlockingTimeout.TotalSeconds, 0, 86_400)),
            section.Int("max_fail", d.MaxFail, 1, 1_000_000),
            section.Int("max_attempts_per_challenge", d.MaxAttemptsPerChallenge, 1, 1_000),
            otpPin,
            TimeSpan.FromSeconds(section.Seconds("send_wait", d.SendWait.TotalSeconds, 0, 60)),
            Prompt(section, "challenge_prompt", d.ChallengePrompt),
            Text(section, "already_sent_message", d.AlreadySentMessage),
            Text(section, "send_failed_message", d.SendFailedMessage),
            section.Bool("bind_state_to_client", d.BindStateToClient));
        section.ReportUnknownKeys();
        return settings;
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

        return unknown.Count == 0 ? value : defaultValue;
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
