using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Handlers;

/// <summary>
/// The authentication decisions, one line each, worded as FreeRADIUS words them (event ids 2000–2999 print as "Auth:").
/// The user name is shown as sent; PINs, OTPs and State values never are.
/// </summary>
internal static partial class AuthLog
{
    [LoggerMessage(2000, LogLevel.Information, "({Number}) Login OK: [{User}] (from client {Client} port {Port}{Cli})")]
    public static partial void LoginOk(ILogger logger, long number, string user, string client, string port, string cli);

    [LoggerMessage(2001, LogLevel.Information, "({Number}) Login incorrect ({Reason}): [{User}] (from client {Client} port {Port}{Cli})")]
    public static partial void LoginIncorrect(ILogger logger, long number, string reason, string user, string client, string port, string cli);

    [LoggerMessage(2002, LogLevel.Information, "({Number}) Challenge sent: [{User}] via {Provider} (serial {Serials}) (from client {Client} port {Port}{Cli})")]
    public static partial void ChallengeSent(ILogger logger, long number, string user, string provider, string serials, string client, string port, string cli);

    [LoggerMessage(2003, LogLevel.Information, "({Number}) Challenge pending ({Reason}): [{User}] (from client {Client} port {Port}{Cli})")]
    public static partial void ChallengePending(ILogger logger, long number, string reason, string user, string client, string port, string cli);

    [LoggerMessage(2004, LogLevel.Information, "({Number}) Challenge repeated, no new e-mail ({Reason}): [{User}] (serial {Serials}) (from client {Client} port {Port}{Cli})")]
    public static partial void ChallengeRepeated(ILogger logger, long number, string reason, string user, string serials, string client, string port, string cli);

    [LoggerMessage(2005, LogLevel.Warning, "({Number}) Access-Accept for [{User}] replaced by Access-Reject: {Problem} (reply_attributes of {Owner}) (from client {Client} port {Port}{Cli})")]
    public static partial void ReplyAttributesFailed(ILogger logger, long number, string user, string problem, string owner, string client, string port, string cli);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Client {Client}: a User-Password decodes to no text; is the shared secret right? Such requests are rejected and never counted against a token{Suppressed}")]
    public static partial void PasswordNotText(ILogger logger, string client, string suppressed);
}
