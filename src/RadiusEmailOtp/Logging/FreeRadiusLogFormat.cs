using System.Globalization;
using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Logging;

/// <summary>
/// FreeRADIUS's log line shape, <c>Sat Nov 28 22:52:35 2026 : Auth: (42) Login OK: [alice] …</c>, so the
/// log watchers and fail2ban filters admins already have keep working.
/// </summary>
internal static class FreeRadiusLogFormat
{
    /// <summary>Event ids 2000–2999 are authentication decisions and print as "Auth:".</summary>
    public const int FirstAuthEventId = 2000;

    public const int LastAuthEventId = 2999;

    public static string Format(DateTimeOffset timestamp, LogLevel level, EventId eventId, string message)
    {
        var kind = eventId.Id is >= FirstAuthEventId and <= LastAuthEventId
            ? "Auth"
            : level switch
            {
                LogLevel.Trace or LogLevel.Debug => "Debug",
                LogLevel.Information => "Info",
                LogLevel.Warning => "Warning",
                _ => "Error",
            };
        return string.Create(CultureInfo.InvariantCulture, $"{timestamp.LocalDateTime:ddd MMM d HH:mm:ss yyyy} : {kind}: {message}");
    }
}
