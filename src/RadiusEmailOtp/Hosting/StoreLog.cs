using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Hosting;

/// <summary>Log lines about the store's availability and upkeep (the database down or back, the periodic cleanup).</summary>
internal static partial class StoreLog
{
    [LoggerMessage(1120, LogLevel.Warning, "store unavailable: {Reason}; requests that need it are rejected{Suppressed}")]
    public static partial void Unavailable(ILogger logger, string reason, string suppressed);

    [LoggerMessage(1121, LogLevel.Information, "store available again: {What}")]
    public static partial void Available(ILogger logger, string what);

    [LoggerMessage(1122, LogLevel.Debug, "store cleanup: {Count} challenges older than {RetentionDays} days deleted, expired ones closed")]
    public static partial void Cleanup(ILogger logger, int count, int retentionDays);

    [LoggerMessage(1123, LogLevel.Warning, "store cleanup failed: {Reason}")]
    public static partial void CleanupFailed(ILogger logger, string reason);

    [LoggerMessage(1124, LogLevel.Error, "store cannot be opened: {Reason}; requests that need it are rejected until it can{Suppressed}")]
    public static partial void OpenFailed(ILogger logger, string reason, string suppressed);

    [LoggerMessage(1126, LogLevel.Error, "store error: {Reason}; the request is rejected{Suppressed}")]
    public static partial void Failed(ILogger logger, string reason, string suppressed);

    [LoggerMessage(1125, LogLevel.Information, "Store: PostgreSQL {Database} as node {Node}")]
    public static partial void Postgres(ILogger logger, string database, string node);
}
