using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Tests.Email;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

/// <summary>CERTFILE, KEYFILE and CA_FILE are parsed when the config is checked, not first when a mail is sent.</summary>
public sealed class SmtpPemFileTests
{
    private static TestCertificates s_certs = null!;
    private string _garbage = string.Empty;

    [OneTimeSetUp]
    public static void MakeCertificates() => s_certs = TestCertificates.Create();

    [OneTimeTearDown]
    public static void DropCertificates() => s_certs.Dispose();

    [SetUp]
    public void WriteGarbage()
    {
        _garbage = Path.Combine(s_certs.Directory, $"garbage-{Guid.NewGuid():N}.pem");
        File.WriteAllText(_garbage, "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
    }

    [TearDown]
    public void DeleteGarbage() => File.Delete(_garbage);

    [Test]
    public void Valid_pem_files_pass()
    {
        var config = Load($"CERTFILE = \"{s_certs.ClientCertFile}\"\nKEYFILE = \"{s_certs.ClientKeyFile}\"\nCA_FILE = \"{s_certs.CaFile}\"", out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
    }

    [Test]
    public void A_ca_file_that_is_not_pem_is_an_error_on_its_line()
    {
        Load($"CA_FILE = \"{_garbage}\"", out var diagnostics);

        var error = diagnostics.Items.Single(d => d.IsError);
        Assert.That(error.Message, Does.Contain("CA_FILE").And.Contain(_garbage));
        Assert.That(error.Line, Is.EqualTo(5));
    }

    [Test]
    public void A_ca_file_without_any_certificate_is_an_error()
    {
        File.WriteAllText(_garbage, "just text\n");

        Load($"CA_FILE = \"{_garbage}\"", out var diagnostics);

        Assert.That(diagnostics.Items.Single(d => d.IsError).Message, Does.Contain("CA_FILE").And.Contain("no PEM certificate"));
    }

    [Test]
    public void A_certfile_that_is_not_pem_is_an_error_on_its_line()
    {
        Load($"CERTFILE = \"{_garbage}\"\nKEYFILE = \"{s_certs.ClientKeyFile}\"", out var diagnostics);

        var error = diagnostics.Items.Single(d => d.IsError);
        Assert.That(error.Message, Does.Contain("CERTFILE").And.Contain(_garbage));
        Assert.That(error.Line, Is.EqualTo(5));
    }

    [Test]
    public void A_keyfile_that_is_not_a_pem_key_is_an_error_on_its_line()
    {
        Load($"CERTFILE = \"{s_certs.ClientCertFile}\"\nKEYFILE = \"{s_certs.CaFile}\"", out var diagnostics);

        var error = diagnostics.Items.Single(d => d.IsError);
        Assert.That(error.Message, Does.Contain("KEYFILE").And.Contain(s_certs.CaFile));
        Assert.That(error.Line, Is.EqualTo(6));
    }

    [TestCase("", false)]
    [TestCase("TLS_CHECK_REVOCATION = true", true)]
    public void Revocation_checking_is_off_unless_tls_check_revocation_is_set(string keys, bool expected)
    {
        var config = Load(keys, out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        Assert.That(config!.EmailProviders.Single().Smtp!.CheckRevocation, Is.EqualTo(expected));
    }

    // The SMTP keys start on line 5.
    private static AppConfig? Load(string smtpKeys, out ConfigDiagnostics diagnostics)
    {
        diagnostics = new ConfigDiagnostics("test.toml");
        var text = $"[[email_provider]]\nname = \"corp\"\nclass = \"SMTPEmailProvider\"\n[email_provider.config]\n{smtpKeys}\nSMTP_SERVER = \"mail.example.com\"\nUSE_SSL = true\n";
        return AppConfigLoader.Bind("test.toml", text, diagnostics);
    }
}
