using System.DirectoryServices.Protocols;
using System.Net;
using System.Net.Sockets;

namespace RadiusEmailOtp.Infrastructure.Ldap;

/// <summary>
/// Opens connections to one resolver's servers: a TCP pre-check bounded by the connect timeout (it tells "refused"
/// from "timed out"), then libldap with its own timeouts, StartTLS when asked, and a bind. Failures become
/// <see cref="LdapUnavailableException"/> with a cause fit for the log.
/// </summary>
internal sealed class LdapConnector(LdapResolverSettings settings)
{
    // libldap's client-side codes (ldap.h): no answer in time, connection lost, cannot connect.
    private const int TimeoutCode = 85;
    private const int ServerDownCode = 81;
    private const int ConnectErrorCode = 91;
    private const int InvalidCredentialsCode = 49;

    public LdapResolverSettings Settings { get; } = settings;

    public bool UsesTls(LdapUri uri) => uri.Ldaps || Settings.StartTls;

    /// <summary>Checks that the server takes a TCP connection within the connect timeout.</summary>
    public async Task PreCheckAsync(LdapUri uri, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Settings.ConnectTimeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(uri.Host, uri.Port, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LdapUnavailableException($"timed out connecting (no TCP answer within {Settings.ConnectTimeout.TotalSeconds:0.###} s)");
        }
        catch (SocketException ex)
        {
            throw new LdapUnavailableException(ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"host \"{uri.Host}\" not found",
                SocketError.TimedOut => "timed out connecting",
                var code => $"cannot connect ({code})",
            });
        }
    }

    /// <summary>Opens a connection bound as the service account (<paramref name="bindService"/>) or anonymously. Blocking.</summary>
    public LdapConnection Open(LdapUri uri, bool bindService)
    {
        var identifier = new LdapDirectoryIdentifier(uri.Host, uri.Port, fullyQualifiedDnsHostName: true, connectionless: false);
        var connection = new LdapConnection(identifier) { AuthType = AuthType.Anonymous, AutoBind = false, Timeout = Settings.ResponseTimeout };
        try
        {
            var options = connection.SessionOptions;
            options.ProtocolVersion = 3;
            options.ReferralChasing = ReferralChasingOptions.None;
            if (uri.Ldaps)
            {
                options.SecureSocketLayer = true;
            }

            if (!LdapNative.TryApply(connection, Settings, UsesTls(uri), out var error))
            {
                throw new LdapUnavailableException(error);
            }

            if (Settings.StartTls && !uri.Ldaps)
            {
                // libldap connects lazily; StartTLS needs the connection to exist, so an anonymous bind goes first.
                Run(() => connection.Bind(), uri, "connecting");
                Run(() => options.StartTransportLayerSecurity(null), uri, "StartTLS");
            }

            if (bindService && Settings.BindDn is not null)
            {
                connection.AuthType = AuthType.Basic;
                Run(() => connection.Bind(new NetworkCredential(Settings.BindDn, Settings.BindPassword!.Reveal())), uri, "the service account's bind");
            }
            else if (!(Settings.StartTls && !uri.Ldaps))
            {
                Run(() => connection.Bind(), uri, "connecting");
            }

            connection.AuthType = AuthType.Basic;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Maps a failed call to the cause; other exceptions pass.</summary>
    public LdapUnavailableException Classify(Exception exception, LdapUri uri, string step) => exception switch
    {
        LdapUnavailableException unavailable => unavailable,
        LdapException { ErrorCode: TimeoutCode } =>
            new($"timed out: no answer to {step} within {Settings.ResponseTimeout.TotalSeconds:0.###} s"),
        LdapException { ErrorCode: InvalidCredentialsCode } when step.Contains("service", StringComparison.Ordinal) =>
            new("the service account was refused (invalid credentials: check bind_dn and its password)"),
        LdapException { ErrorCode: ServerDownCode or ConnectErrorCode } or TlsOperationException when UsesTls(uri) =>
            new($"TLS failed during {step}"),
        LdapException { ErrorCode: ServerDownCode or ConnectErrorCode } => new($"connection lost during {step} (server down)"),
        LdapException ldap => new($"LDAP error {ldap.ErrorCode} during {step}: {ldap.Message.Trim()}"),
        DirectoryOperationException operation => new($"{step} failed: {operation.Response?.ResultCode} {operation.Message.Trim()}"),
        DirectoryException directory => new($"{step} failed: {directory.Message.Trim()}"),
        _ => new($"{step} failed: {exception.GetType().Name}"),
    };

    /// <summary>True when the failure is the connection's (the caller may retry once on a fresh one).</summary>
    public static bool IsConnectionLost(Exception exception) =>
        exception is LdapException { ErrorCode: ServerDownCode or ConnectErrorCode };

    private void Run(Action action, LdapUri uri, string step)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is DirectoryException or LdapUnavailableException)
        {
            throw Classify(ex, uri, step);
        }
    }
}
