using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// Why a server certificate was refused, in words an admin can act on: untrusted chain (which issuer; CA_FILE), name
/// mismatch (which host was asked for), expired or not yet valid (the dates), revoked. MailKit's own message only says
/// the certificate "could not be validated".
/// </summary>
internal static class TlsCertificateProblem
{
    public static string Describe(string host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0 || certificate is null)
        {
            return "the server sent no certificate";
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var reasons = new List<string>();
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            reasons.Add($"name mismatch: the certificate ({leaf.Subject}) is not for \"{host}\"");
        }

        var status = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status) ?? X509ChainStatusFlags.NoError;
        if ((status & X509ChainStatusFlags.NotTimeValid) != 0 || leaf.NotAfter < DateTime.Now || leaf.NotBefore > DateTime.Now)
        {
            reasons.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"expired or not yet valid: valid from {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} to {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"));
        }

        if ((status & X509ChainStatusFlags.Revoked) != 0)
        {
            reasons.Add("the certificate is revoked");
        }

        if ((status & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0
            || ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0 && reasons.Count == 0 && status == X509ChainStatusFlags.NoError))
        {
            var selfSigned = leaf.Subject == leaf.Issuer ? " (self-signed)" : string.Empty;
            reasons.Add($"untrusted chain: issuer {leaf.Issuer}{selfSigned} is not a trusted CA; add it with CA_FILE");
        }

        var other = status & ~(X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.Revoked | X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain);
        if (other != X509ChainStatusFlags.NoError)
        {
            reasons.Add($"chain error: {other}");
        }

        return "server certificate refused: " + (reasons.Count == 0 ? errors.ToString() : string.Join("; ", reasons));
    }
}
