namespace RadiusEmailOtp.Cli;

/// <summary>
/// Which config file a command reads: <c>--config</c>, else <c>$RADIUS_EMAIL_OTP_CONFIG</c>, else
/// <c>config/config.toml</c> when it exists (the repository quick start), else the installed
/// <c>/etc/radius-email-otp/config.toml</c>.
/// </summary>
internal static class DefaultConfigPath
{
    public const string EnvironmentVariable = "RADIUS_EMAIL_OTP_CONFIG";

    public const string Repository = "config/config.toml";

    public const string Installed = "/etc/radius-email-otp/config.toml";

    public const string Rule = $"--config, else ${EnvironmentVariable}, else {Repository} if it exists, else {Installed}";

    public static string Resolve(string? option) =>
        Resolve(option, Environment.GetEnvironmentVariable(EnvironmentVariable), File.Exists);

    internal static string Resolve(string? option, string? environment, Func<string, bool> exists)
    {
        if (option is not null)
        {
            return option;
        }

        if (!string.IsNullOrEmpty(environment))
        {
            return environment;
        }

        return exists(Repository) ? Repository : Installed;
    }
}
