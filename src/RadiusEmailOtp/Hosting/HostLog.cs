using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Hosting;

/// <summary>Log lines of the server's start and stop that belong to no single layer.</summary>
internal static partial class HostLog
{
    [LoggerMessage(1100, LogLevel.Warning, "{Count} mail deliveries were still pending when the server last stopped; marked interrupted (their users may log in again)")]
    public static partial void InterruptedDeliveries(ILogger logger, int count);
}
