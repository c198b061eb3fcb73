using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Hosting;

/// <summary>Log lines of the server's start, reload and stop that belong to no single layer.</summary>
internal static partial class HostLog
{
    [LoggerMessage(1100, LogLevel.Warning, "{Count} mail deliveries were still pending when the server last stopped; marked interrupted (their users may log in again)")]
    public static partial void InterruptedDeliveries(ILogger logger, int count);

    [LoggerMessage(1101, LogLevel.Information, "Reloading the configuration from {Path}")]
    public static partial void Reloading(ILogger logger, string path);

    [LoggerMessage(1102, LogLevel.Error, "Reload: {Diagnostic}")]
    public static partial void ReloadError(ILogger logger, string diagnostic);

    [LoggerMessage(1103, LogLevel.Warning, "Reload: {Diagnostic}")]
    public static partial void ReloadWarning(ILogger logger, string diagnostic);

    [LoggerMessage(1104, LogLevel.Error, "Reload failed: {Count} errors in {Path}; still running on the previous configuration")]
    public static partial void ReloadRejected(ILogger logger, int count, string path);

    [LoggerMessage(1105, LogLevel.Error, "Reload failed: {Error}; still running on the previous configuration")]
    public static partial void ReloadFailed(ILogger logger, string error);

    [LoggerMessage(1106, LogLevel.Warning, "Reload: {Path}:{Line}: {Key} changed; it needs a restart, the server keeps the value it started with")]
    public static partial void NeedsRestart(ILogger logger, string path, int line, string key);

    [LoggerMessage(1107, LogLevel.Information, "Reloaded {Path}: {Summary} ({Clients} clients, {Providers} e-mail providers, {Policies} policies)")]
    public static partial void Reloaded(ILogger logger, string path, string summary, int clients, int providers, int policies);

    [LoggerMessage(1110, LogLevel.Error, "Reload: a reload hook failed")]
    public static partial void ReloadHookFailed(ILogger logger, Exception exception);

    [LoggerMessage(1108, LogLevel.Information, "Statistics: {Received} packets received, {Accepts} accepted, {Rejects} rejected, {Challenges} challenged, {Dropped} dropped ({Shed} of them shed under load), {Duplicates} duplicates, {InFlight} requests in progress, {Deliveries} mail deliveries pending")]
    public static partial void Statistics(
        ILogger logger, long received, long accepts, long rejects, long challenges, long dropped, long shed, long duplicates, int inFlight, int deliveries);

    [LoggerMessage(1109, LogLevel.Information, "Received SIGUSR2; ignored (SIGHUP reloads, SIGUSR1 logs the statistics)")]
    public static partial void IgnoredSignal(ILogger logger);
}
