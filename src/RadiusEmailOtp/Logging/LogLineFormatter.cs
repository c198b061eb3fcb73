using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Logging;

/// <summary>
/// Turns one log event into the line its destination wants: FreeRADIUS text or JSON; without the time stamp for syslog
/// (the daemon adds its own); with a <c>&lt;N&gt;</c> priority prefix on every line when stdout is journald.
/// </summary>
internal sealed class LogLineFormatter(LogFormat format, bool journald, bool forSyslog)
{
    public static LogLineFormatter PlainText { get; } = new(LogFormat.Text, journald: false, forSyslog: false);

    /// <summary>
    /// True when systemd connected stdout to the journal (systemd.exec(5) sets JOURNAL_STREAM then): journald reads a
    /// leading &lt;N&gt; as the line's priority, so <c>journalctl -p warning</c> finds the warnings.
    /// </summary>
    public static bool StdoutIsJournal => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"));

    public string Format<TState>(DateTimeOffset timestamp, LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        string line;
        if (format == LogFormat.Json)
        {
            line = JsonLogFormat.Format(timestamp, level, eventId, message, state as IReadOnlyList<KeyValuePair<string, object?>>, exception);
        }
        else
        {
            if (exception is not null)
            {
                // Type and message only: stack traces are for debug builds, and exception text never carries secrets here.
                message = $"{message}: {exception.GetType().Name}: {exception.Message}";
            }

            line = forSyslog ? FreeRadiusLogFormat.Body(level, eventId, message) : FreeRadiusLogFormat.Format(timestamp, level, eventId, message);
        }

        return journald ? SyslogSeverity.PrefixLines(level, line) : line;
    }
}
