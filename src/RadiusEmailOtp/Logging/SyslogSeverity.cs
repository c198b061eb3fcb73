using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Logging;

/// <summary>RFC 5424 §6.2.1 severities of our log levels; journald and syslog file lines by them.</summary>
internal static class SyslogSeverity
{
    public static int Of(LogLevel level) => level switch
    {
        LogLevel.Critical => 2,
        LogLevel.Error => 3,
        LogLevel.Warning => 4,
        LogLevel.Information => 6,
        _ => 7,
    };

    /// <summary>"&lt;4&gt;" on each line of <paramref name="text"/>: the prefix journald reads from a service's stdout (sd-daemon(3)).</summary>
    public static string PrefixLines(LogLevel level, string text)
    {
        var prefix = "<" + (char)('0' + Of(level)) + ">";
        return text.Contains('\n', StringComparison.Ordinal) ? prefix + text.Replace("\n", "\n" + prefix, StringComparison.Ordinal) : prefix + text;
    }
}
