using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

/// <summary>Relative paths in a config file follow the file's directory, never the working directory.</summary>
public sealed class ConfigRelativePathTests
{
    private string _root = string.Empty;
    private string _etc = string.Empty;

    [SetUp]
    public void MakeLayout()
    {
        _root = Path.Combine(Path.GetTempPath(), "reo-paths-" + Guid.NewGuid().ToString("N"));
        _etc = Path.Combine(_root, "etc");
        Directory.CreateDirectory(Path.Combine(_etc, "mailtemplates"));
        File.WriteAllText(Path.Combine(_etc, "nas.secret"), "a-long-shared-secret\n");
        File.WriteAllText(Path.Combine(_etc, "clients.conf"), "client other {\n  ipaddr = 10.1.0.0/16\n  secret = another-long-secret\n}\n");
        File.WriteAllText(Path.Combine(_etc, "mailtemplates", "otp.eml"), "Subject: code\n\n${otp}\n");
    }

    [TearDown]
    public void DropLayout() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Every_path_key_is_resolved_against_the_config_files_directory()
    {
        var path = Write("""
            [server]
            dictionary = "../share/dictionary"
            data_dir = "../var"
            clients_conf = "clients.conf"
            acct_log = "../log/detail"

            [[client]]
            name = "nas"
            ipaddr = "10.0.0.0/16"
            secret_file = "nas.secret"

            [email]
            template_root = "mailtemplates"

            [[email_provider]]
            name = "outbox"
            class = "PickupDirectoryEmailProvider"
            default = true
            config = { DIRECTORY = "../var/outbox", TEMPLATE = "file://otp.eml" }
            """);

        // The working directory is elsewhere on purpose: the paths must not depend on it.
        var config = AppConfigLoader.Load(path, out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        Assert.That(config!.Server.Dictionary, Is.EqualTo(Path.Combine(_root, "share", "dictionary")));
        Assert.That(config.Server.DataDir, Is.EqualTo(Path.Combine(_root, "var")));
        Assert.That(config.Server.ClientsConf, Is.EqualTo(Path.Combine(_etc, "clients.conf")));
        Assert.That(config.Server.AcctLog, Is.EqualTo(Path.Combine(_root, "log", "detail")));
        Assert.That(config.Email.TemplateRoot, Is.EqualTo(Path.Combine(_etc, "mailtemplates")));
        Assert.That(config.EmailProviders.Single().PickupDirectory, Is.EqualTo(Path.Combine(_root, "var", "outbox")));
        Assert.That(config.Clients.Select(c => c.Name), Is.EquivalentTo(new[] { "nas", "other" }), "secret_file and clients_conf were read");
    }

    [Test]
    public void The_defaults_are_beside_the_config_file_too()
    {
        var config = AppConfigLoader.Load(Write("[server]\n"), out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        Assert.That(config!.Server.Dictionary, Is.EqualTo(Path.Combine(_etc, "dictionaries", "dictionary")));
        Assert.That(config.Server.DataDir, Is.EqualTo(Path.Combine(_etc, "data")));
        Assert.That(config.Email.TemplateRoot, Is.EqualTo(Path.Combine(_etc, "mailtemplates")));
        Assert.That(config.EmailProviders.Single().PickupDirectory, Is.EqualTo(Path.Combine(_etc, "data", "outbox")));
    }

    [Test]
    public void Absolute_paths_are_kept_as_written()
    {
        var config = AppConfigLoader.Load(Write("[server]\ndata_dir = \"/var/lib/radius-email-otp\"\n"), out _);

        Assert.That(config!.Server.DataDir, Is.EqualTo("/var/lib/radius-email-otp"));
    }

    [Test]
    public void A_missing_file_is_named_by_its_resolved_path()
    {
        var path = Write("""
            [[email_provider]]
            name = "corp"
            class = "SMTPEmailProvider"
            default = true
            config = { SMTP_SERVER = "127.0.0.1", START_TLS = true, CA_FILE = "tls/ca.pem" }
            """);

        AppConfigLoader.Load(path, out var diagnostics);

        Assert.That(diagnostics.Items.Where(d => d.IsError).Select(d => d.ToString()), Has.One.Contains(Path.Combine(_etc, "tls", "ca.pem")));
    }

    [Test]
    public void An_empty_data_dir_is_an_error_on_its_line()
    {
        var path = Write("[server]\n\ndata_dir = \"\"\n");

        var config = AppConfigLoader.Load(path, out var diagnostics);

        Assert.That(config, Is.Null);
        Assert.That(diagnostics.Items.Select(d => d.ToString()), Has.One.StartsWith($"{path}:3: error:").And.Contains("data_dir"));
    }

    private string Write(string toml)
    {
        var path = Path.Combine(_etc, "config.toml");
        File.WriteAllText(path, toml);
        return path;
    }
}
