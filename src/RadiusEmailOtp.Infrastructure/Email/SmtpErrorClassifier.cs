using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>Maps MailKit's exceptions to transient (fail over, retry later) or permanent (configuration or recipient) failures.</summary>
internal static class SmtpErrorClassifier
{
    public static (ProviderSendOutcome Outcome, string? Reply, string Error) Classify(Exception ex) => ex switch
    {
        SmtpCommandException command when (int)command.StatusCode >= 500 =>
            (ProviderSendOutcome.Permanent, $"{(int)command.StatusCode} {command.Message}", $"{command.ErrorCode} refused by the server"),
        SmtpCommandException command =>
            (ProviderSendOutcome.Transient, $"{(int)command.StatusCode} {command.Message}", $"{command.ErrorCode} deferred by the server"),
        MailKit.Security.AuthenticationException auth => (ProviderSendOutcome.Permanent, auth.Message, "authentication failed"),
        SslHandshakeException tls => (ProviderSendOutcome.Permanent, null, $"TLS handshake failed: {FirstLine(tls.Message)}"),
        System.Security.Authentication.AuthenticationException tls => (ProviderSendOutcome.Permanent, null, $"TLS handshake failed: {tls.Message}"),
        NotSupportedException notSupported => (ProviderSendOutcome.Permanent, null, notSupported.Message),
        OperationCanceledException or TimeoutException => (ProviderSendOutcome.Transient, null, "timed out"),
        SocketException socket => (ProviderSendOutcome.Transient, null, $"connect failed: {socket.Message}"),
        SmtpProtocolException protocol => (ProviderSendOutcome.Transient, null, protocol.Message),
        ServiceNotConnectedException or IOException => (ProviderSendOutcome.Transient, null, $"connection lost: {ex.Message}"),
        _ => (ProviderSendOutcome.Transient, null, $"{ex.GetType().Name}: {ex.Message}"),
    };

    /// <summary>
    /// True when a failure on a reused connection is about that connection, so a fresh one is worth one try: the server
    /// dropped it, or deferred MAIL FROM with a 4xx, as servers do once a connection reached their messages-per-connection
    /// limit (the message was not handed over yet, so the retry cannot deliver it twice).
    /// </summary>
    public static bool IsWorthOneReconnect(Exception ex) => ex is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException
        || ex is SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable }
        || (ex is SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted } deferred && (int)deferred.StatusCode is >= 400 and < 500);

    private static string FirstLine(string text)
    {
        var newline = text.IndexOfAny(['\r', '\n']);
        return newline < 0 ? text : text[..newline];
    }
}
