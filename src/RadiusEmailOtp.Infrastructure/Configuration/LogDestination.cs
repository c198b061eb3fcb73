namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Where log lines go: <c>[log] destination</c>.</summary>
public enum LogDestination
{
    /// <summary>Standard output (journald when run by systemd).</summary>
    Stdout,

    /// <summary>The local syslog socket, /dev/log.</summary>
    Syslog,

    /// <summary>A file, reopened on SIGHUP for logrotate.</summary>
    File,
}
