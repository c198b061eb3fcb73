using System.Net;
using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Metrics;

/// <summary>The metrics endpoint's log lines.</summary>
internal static partial class MetricsLog
{
    [LoggerMessage(1200, LogLevel.Information, "Metrics on http://{Address}:{Port}/metrics (health: /healthz)")]
    public static partial void Listening(ILogger logger, IPAddress address, int port);

    [LoggerMessage(1201, LogLevel.Error, "Metrics endpoint: a request failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception);
}
