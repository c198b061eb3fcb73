using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Otp.Engine;

/// <summary>The engine's log messages. No argument is ever a PIN, OTP, seed or key.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "OTP mail for token {Serial} of {User}@{Realm} accepted by {Provider} (Message-ID {MessageId}, {ElapsedMs} ms)")]
    public static partial void MailSent(ILogger logger, string serial, string user, string realm, string? provider, string? messageId, long elapsedMs);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "OTP mail for token {Serial} of {User}@{Realm} failed (last provider {Provider}): {Error}")]
    public static partial void MailFailed(ILogger logger, string serial, string user, string realm, string? provider, string? error);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Token {Serial}: the seed does not decrypt (wrong encryption.key or damaged row); the token is skipped")]
    public static partial void SeedUnreadable(ILogger logger, string serial);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Token {Serial}: its counter kept moving under a concurrent request; no challenge issued")]
    public static partial void CounterContention(ILogger logger, string serial);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Storing the delivery outcome of challenge {ChallengeId} failed")]
    public static partial void DeliveryRecordFailed(ILogger logger, long challengeId, Exception exception);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Token {Serial} of {User}@{Realm} unlocked: its last failure is older than failcount_clear_timeout ({TimeoutSeconds} s)")]
    public static partial void LockExpired(ILogger logger, string serial, string user, string realm, long timeoutSeconds);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "OTP mail for token {Serial} of {User}@{Realm}: outcome unknown at {Provider} (the connection ended after the mail was handed over; not sent again): {Error}")]
    public static partial void MailUnknown(ILogger logger, string serial, string user, string realm, string? provider, string? error);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "No mail for {User}@{Realm}: mail limit reached ({MaxMails} per {WindowSeconds} s per token, max_mails_per_window/mail_window)")]
    public static partial void MailLimitReached(ILogger logger, string user, string realm, int maxMails, long windowSeconds);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "No mail for {User}@{Realm}: the reply with its prompt would not fit in one RADIUS packet (4096 octets); shorten challenge_prompt")]
    public static partial void ReplyTooLarge(ILogger logger, string user, string realm);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Token {Serial} auto-enrolled for {User}@{Realm} (resolver {Resolver}) on the first login with the directory password")]
    public static partial void AutoEnrolled(ILogger logger, string serial, string user, string realm, string resolver);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "No token auto-enrolled for {User}@{Realm}: resolver {Resolver} holds no e-mail address for the user")]
    public static partial void AutoEnrollNoAddress(ILogger logger, string user, string realm, string resolver);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "No mail for {User}@{Realm}: the token takes its address from the directory, and {Source} holds none for the user")]
    public static partial void NoDirectoryAddress(ILogger logger, string user, string realm, string source);
}
