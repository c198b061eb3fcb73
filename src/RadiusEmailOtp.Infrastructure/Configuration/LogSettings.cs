namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>The validated <c>[log]</c> table. <see cref="Facility"/> is the syslog facility number (daemon = 3).</summary>
public sealed record LogSettings(LogFormat Format, LogDestination Destination, string? File, int Facility)
{
    /// <summary>The syslog facility "daemon" (RFC 5424 §6.2.1).</summary>
    public const int DaemonFacility = 3;

    /// <summary>Text lines on stdout: what the server did before the [log] table existed.</summary>
    public static LogSettings Default { get; } = new(LogFormat.Text, LogDestination.Stdout, null, DaemonFacility);
}
