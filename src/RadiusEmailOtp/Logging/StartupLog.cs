using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Logging;

/// <summary>The start-up lines that say what this process is and what it runs on (the listen lines are the server's own).</summary>
internal static partial class StartupLog
{
    [LoggerMessage(1101, LogLevel.Information, "radius-email-otp {Version} starting: config {ConfigPath}, data_dir {DataDir}, dictionary {Dictionary}")]
    public static partial void Starting(ILogger logger, string version, string configPath, string dataDir, string dictionary);

    [LoggerMessage(1102, LogLevel.Warning, "Created a new encryption key at {KeyPath}: back it up together with the database (the tokens cannot be read without it)")]
    public static partial void KeyCreated(ILogger logger, string keyPath);

    [LoggerMessage(1103, LogLevel.Information, "E-mail: default provider {DefaultProvider} ({ProviderCount} providers, {PolicyCount} policies)")]
    public static partial void Email(ILogger logger, string defaultProvider, int providerCount, int policyCount);
}
