using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RadiusEmailOtp.Infrastructure.Tests.Email;

/// <summary>A throw-away CA with a server certificate for 127.0.0.1/localhost and a client certificate, made at test time.</summary>
internal sealed class TestCertificates : IDisposable
{
    private TestCertificates(string dir, X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client)
    {
        Directory = dir;
        Ca = ca;
        Server = server;
        Client = client;
        CaFile = Path.Combine(dir, "ca.pem");
        ClientCertFile = Path.Combine(dir, "client.crt");
        ClientKeyFile = Path.Combine(dir, "client.key");
        File.WriteAllText(CaFile, ca.ExportCertificatePem());
        File.WriteAllText(ClientCertFile, client.ExportCertificatePem());
        File.WriteAllText(ClientKeyFile, client.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    public string Directory { get; }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public string CaFile { get; }

    public string ClientCertFile { get; }

    public string ClientKeyFile { get; }

    public static TestCertificates Create()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=RadiusEmailOtp Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        var server = Issue(ca, "CN=localhost", now, serverAuth: true);
        var client = Issue(ca, "CN=otp-client", now, serverAuth: false);
        var dir = System.IO.Directory.CreateTempSubdirectory("certs").FullName;
        return new TestCertificates(dir, ca, server, client);
    }

    public void Dispose()
    {
        System.IO.Directory.Delete(Directory, true);
        Ca.Dispose();
        Server.Dispose();
        Client.Dispose();
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, DateTimeOffset now, bool serverAuth)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(ca, now.AddDays(-1), now.AddDays(10), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // PKCS#12 round trip: SslStream wants a persisted-style key on some platforms.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
