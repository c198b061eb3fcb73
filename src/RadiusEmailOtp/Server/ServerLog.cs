using System.Net;
using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Server;

/// <summary>
/// Every log line of the RADIUS server, source-generated with stable event ids. Lines an operator must see follow
/// FreeRADIUS's wording so existing log watchers keep working. No secret is ever an argument here.
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(1000, LogLevel.Information, "Listening on auth address {Address} port {Port} bound to server default")]
    public static partial void Listening(ILogger logger, IPAddress address, int port);

    [LoggerMessage(1001, LogLevel.Information, "Loaded {ClientCount} clients; ready to process requests")]
    public static partial void Ready(ILogger logger, int clientCount);

    [LoggerMessage(1002, LogLevel.Information, "Signalled to terminate; finishing {InFlight} requests in progress")]
    public static partial void Stopping(ILogger logger, int inFlight);

    [LoggerMessage(1003, LogLevel.Information, "Exiting normally: {Received} packets received, {Accepts} accepted, {Rejects} rejected, {Challenges} challenged, {Dropped} dropped ({Shed} of them shed under load)")]
    public static partial void Stopped(ILogger logger, long received, long accepts, long rejects, long challenges, long dropped, long shed);

    [LoggerMessage(1010, LogLevel.Error, "Ignoring request to auth address {LocalAddress} port {LocalPort} bound to server default from unknown client {ClientAddress} port {ClientPort} proto udp{Suppressed}")]
    public static partial void UnknownClient(ILogger logger, IPAddress localAddress, int localPort, IPAddress clientAddress, int clientPort, string suppressed);

    [LoggerMessage(1011, LogLevel.Warning, "Dropping packet from client {Client} ({Address} port {Port}): {Reason}{Suppressed}")]
    public static partial void Dropped(ILogger logger, string client, IPAddress address, int port, string reason, string suppressed);

    [LoggerMessage(1012, LogLevel.Information, "BlastRADIUS check: client {Client} ({Address}) sent an Access-Request with Message-Authenticator; require_message_authenticator = auto now means \"yes\" for it")]
    public static partial void LearnedMessageAuthenticatorRequired(ILogger logger, string client, IPAddress address);

    [LoggerMessage(1018, LogLevel.Warning, "BlastRADIUS check: client {Client} ({Address}) sent an Access-Request WITHOUT Message-Authenticator; require_message_authenticator = auto now means \"no\" for it. This client is vulnerable to CVE-2024-3596: upgrade it and set require_message_authenticator = yes")]
    public static partial void LearnedMessageAuthenticatorNotRequired(ILogger logger, string client, IPAddress address);

    [LoggerMessage(1013, LogLevel.Warning, "Server busy: {InFlight} requests in progress; dropping request from client {Client}{Suppressed}")]
    public static partial void Busy(ILogger logger, int inFlight, string client, string suppressed);

    [LoggerMessage(1020, LogLevel.Warning, "Server overloaded: dropping request ({Number}) from client {Client} unanswered after {WaitedMs} ms: {Why} (max_request_time = {MaxRequestTime} s); the NAS will retransmit{Suppressed}")]
    public static partial void Shed(ILogger logger, long number, string client, long waitedMs, string why, int maxRequestTime, string suppressed);

    [LoggerMessage(1014, LogLevel.Error, "({Number}) Handler failed for client {Client}; no reply sent")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, long number, string client);

    [LoggerMessage(1015, LogLevel.Debug, "({Number}) Sent {Code} Id {Identifier} to {Address} port {Port} length {Length}")]
    public static partial void Sent(ILogger logger, long number, string code, byte identifier, IPAddress address, int port, int length);

    [LoggerMessage(1016, LogLevel.Debug, "Duplicate request Id {Identifier} from client {Client} port {Port}: {Action}")]
    public static partial void Duplicate(ILogger logger, byte identifier, string client, int port, string action);

    [LoggerMessage(1019, LogLevel.Error, "Unexpected error while processing a datagram from {Remote}")]
    public static partial void DatagramFailed(ILogger logger, Exception exception, EndPoint remote);

    [LoggerMessage(1030, LogLevel.Information, "Listening on acct address {Address} port {Port} bound to server default")]
    public static partial void ListeningAcct(ILogger logger, IPAddress address, int port);

    [LoggerMessage(1031, LogLevel.Error, "Ignoring request to acct address {LocalAddress} port {LocalPort} bound to server default from unknown client {ClientAddress} port {ClientPort} proto udp{Suppressed}")]
    public static partial void UnknownAcctClient(ILogger logger, IPAddress localAddress, int localPort, IPAddress clientAddress, int clientPort, string suppressed);

    [LoggerMessage(1032, LogLevel.Information, "Acct: ({Number}) Accounting {Status}: [{User}] session {SessionId} (from client {Client} port {NasPort} nas {Nas})")]
    public static partial void Accounting(ILogger logger, long number, string status, string user, string sessionId, string client, string nasPort, string nas);

    [LoggerMessage(1033, LogLevel.Error, "Acct: ({Number}) Cannot write the detail file {Path}: {Error}{Suppressed}")]
    public static partial void DetailFailed(ILogger logger, long number, string path, string error, string suppressed);

    [LoggerMessage(1040, LogLevel.Debug, "{Trace}")]
    public static partial void PacketTrace(ILogger logger, string trace);
}
