using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>Every log line of the e-mail path, source-generated with stable event ids. No OTP or password is ever an argument.</summary>
internal static partial class EmailLog
{
    // The final outcome of each OTP mail is the engine's line (stored on its challenge too); the sender's own success
    // and all-failed lines would repeat it, so they are debug. Each failed attempt stays a warning: it shows failover.
    [LoggerMessage(5001, LogLevel.Debug, "Mail {MessageId} accepted by provider {Provider} in {DurationMs} ms: {Reply}")]
    public static partial void MailAccepted(ILogger logger, string provider, string messageId, long durationMs, string? reply);

    [LoggerMessage(5002, LogLevel.Warning, "Mail {MessageId} failed on provider {Provider} ({Outcome}) after {DurationMs} ms: {Reason}")]
    public static partial void MailFailed(ILogger logger, string provider, string messageId, ProviderSendOutcome outcome, long durationMs, string? reason);

    [LoggerMessage(5003, LogLevel.Debug, "Mail {MessageId} was not delivered: all {Count} providers failed")]
    public static partial void AllProvidersFailed(ILogger logger, string messageId, int count);

    [LoggerMessage(5004, LogLevel.Warning, "Provider {Provider}: TLS_VERIFY = false, server certificates are not verified")]
    public static partial void TlsVerifyDisabled(ILogger logger, string provider);

    [LoggerMessage(5005, LogLevel.Information, "Provider {Provider}: the server closed the reused connection; reconnecting once")]
    public static partial void Reconnecting(ILogger logger, string provider);

    [LoggerMessage(5006, LogLevel.Error, "Route names unknown e-mail provider {Provider}; skipped")]
    public static partial void UnknownProvider(ILogger logger, string provider);

    [LoggerMessage(5007, LogLevel.Error, "Mail {MessageId} could not be composed: {Reason}")]
    public static partial void ComposeFailed(ILogger logger, string messageId, string reason);

    [LoggerMessage(5010, LogLevel.Warning, "Mail {MessageId}: outcome unknown at {Provider} after {DurationMs} ms ({Reason}); not sent through another provider")]
    public static partial void MailOutcomeUnknown(ILogger logger, string provider, string messageId, long durationMs, string? reason);

    [LoggerMessage(5020, LogLevel.Information, "Provider {Provider}: removed {Leftovers} temp files left by a crash and {Expired} mails past RETENTION_DAYS from {Directory}")]
    public static partial void OutboxCleaned(ILogger logger, string provider, string directory, int leftovers, int expired);
}
