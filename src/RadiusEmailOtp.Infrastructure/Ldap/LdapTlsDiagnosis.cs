using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace RadiusEmailOtp.Infrastructure.Ldap;

/// <summary>
/// Tells why a TLS connection to a directory failed. libldap reports every TLS failure as "server down" (81), so after
/// one the handshake is repeated with .NET's own TLS stack, only to read the certificate's problem: untrusted or issued
/// for another name. Nothing is sent but the StartTLS request; the result never decides trust.
/// </summary>
internal static class LdapTlsDiagnosis
{
    // RFC 4511 §4.14.1: LDAPMessage { messageID 1, ExtendedRequest { requestName "1.3.6.1.4.1.1466.20037" } }.
    private static readonly byte[] s_startTlsRequest =
        [0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16, .. Encoding.ASCII.GetBytes("1.3.6.1.4.1.1466.20037")];

    private static readonly byte[] s_success = [0x0a, 0x01, 0x00];

    public static async Task<string> DiagnoseAsync(LdapUri uri, LdapResolverSettings settings, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ConnectTimeout + settings.ResponseTimeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(uri.Host, uri.Port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            if (!uri.Ldaps && !await StartTlsAsync(stream, timeout.Token).ConfigureAwait(false))
            {
                return "TLS: the server refused StartTLS";
            }

            var problem = "TLS: handshake failed";
            using var tls = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, _, errors) =>
            {
                problem = Describe(certificate, errors, settings.CaFile);
                return true;
            });
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = uri.Host }, timeout.Token).ConfigureAwait(false);
            return problem;
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            return "TLS: handshake failed";
        }
    }

    private static string Describe(X509Certificate? certificate, SslPolicyErrors errors, string? caFile)
    {
        if (certificate is null)
        {
            return "TLS: the server sent no certificate";
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var trusted = caFile is null ? !errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) : ChainsTo(leaf, caFile);
        if (!trusted)
        {
            return caFile is null ? "TLS: untrusted certificate (not issued by a system CA; set ca_file)" : "TLS: untrusted certificate (not issued by ca_file)";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return "TLS: certificate name mismatch (the certificate is not for this URI's host)";
        }

        return leaf.NotAfter < DateTime.Now ? "TLS: certificate expired" : "TLS: handshake failed";
    }

    private static bool ChainsTo(X509Certificate2 leaf, string caFile)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        try
        {
            chain.ChainPolicy.CustomTrustStore.ImportFromPemFile(caFile);
            return chain.Build(leaf);
        }
        finally
        {
            foreach (var anchor in chain.ChainPolicy.CustomTrustStore)
            {
                anchor.Dispose();
            }
        }
    }

    private static async Task<bool> StartTlsAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(s_startTlsRequest, cancellationToken).ConfigureAwait(false);
        var header = new byte[2];
        await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        var length = header[1] & 0x7f;
        if ((header[1] & 0x80) != 0)
        {
            var lengthBytes = new byte[length];
            await stream.ReadExactlyAsync(lengthBytes, cancellationToken).ConfigureAwait(false);
            length = lengthBytes.Aggregate(0, (total, b) => (total << 8) | b);
        }

        if (header[0] != 0x30 || length is <= 0 or > 4096)
        {
            return false;
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);

        // The resultCode is the first element of the ExtendedResponse: ENUMERATED 0 (success) is 0a 01 00.
        var at = body.AsSpan().IndexOf((byte)0x78);
        return at >= 0 && body.AsSpan(at).IndexOf(s_success) is >= 0 and < 8;
    }
}
