using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Email;

namespace RadiusEmailOtp.Infrastructure.Tests.Email;

/// <summary>A refused SMTP server certificate is described by its reason: name mismatch, expiry, untrusted issuer.</summary>
[TestFixture]
public sealed class TlsCertificateProblemTests
{
    [Test]
    public void An_expired_certificate_for_another_name_names_both_problems()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=mail.example.org", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var text = TlsCertificateProblem.Describe(
            "smtp.example.com", certificate, chain: null, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.That(text, Does.StartWith("server certificate refused: "));
        Assert.That(text, Does.Contain("name mismatch: the certificate (CN=mail.example.org) is not for \"smtp.example.com\""));
        Assert.That(text, Does.Contain("expired or not yet valid: valid from 2020-01-01 00:00 to 2021-01-01 00:00 UTC"));
    }

    [Test]
    public void A_missing_certificate_says_so()
    {
        Assert.That(TlsCertificateProblem.Describe("h", null, null, SslPolicyErrors.RemoteCertificateNotAvailable), Is.EqualTo("the server sent no certificate"));
    }
}
