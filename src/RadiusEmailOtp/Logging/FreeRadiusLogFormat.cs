using System.Globalization;
using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Logging;

/// <summary>
/// FreeRADIUS's log line shape, <c>Sat Nov 28 22:52:35 2026 +0100 : Auth: (42) Login OK: [alice] …</c>, so the
/// log watchers and fail2ban filters admins already have keep working. The UTC offset after the year is ours: a line
/// must say which time it means (FreeRADIUS prints local time without one).
/// </summary>
internal static class FreeRadiusLogFormat
{
    /// <summary>Event ids 2000–2999 are authentication decisions and print as "Auth:".</summary>
    public const int FirstAuthEventId = 2000;

    public const int LastAuthEventId = 2999;

    public static string Format(DateTimeOffset timestamp, LogLevel level, EventId eventId, string message) =>
        string.Create(CultureInfo.InvariantCulture, $"{timestamp:ddd MMM d HH:mm:ss yyyy} {Offset(timestamp)} : {Body(level, eventId, message)}");

    /// <summary>"Auth: message", "Info: message": the line without its time stamp, as syslog gets it.</summary>
    public static string Body(LogLevel level, EventId eventId, string message) => $"{Kind(level, eventId)}: {message}";

    /// <summary>The offset as date(1)'s %z prints it: +0100, -0530, +0000.</summary>
    public static string Offset(DateTimeOffset timestamp)
    {
        var offset = timestamp.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{offset.Hours:00}{offset.Minutes:00}");
    }

    private static string Kind(LogLevel level, EventId eventId) =>
        eventId.Id is >= FirstAuthEventId and <= LastAuthEventId
            ? "Auth"
            : level switch
            {
                LogLevel.Trace or LogLevel.Debug => "Debug",
                LogLevel.Information => "Info",
                LogLevel.Warning => "Warning",
                _ => "Error",
            };
}
