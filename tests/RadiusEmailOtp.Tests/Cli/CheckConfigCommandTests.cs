using NUnit.Framework;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Cli;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CheckConfigCommandTests
{
    [Test]
    public async Task Shipped_config_passes()
    {
        var (exit, stdout, stderr) = await CliProcess.RunAsync(RepoPaths.Root, "check-config", "--config", "config/config.toml");
        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("OK"));
    }

    [Test]
    public async Task Broken_file_prints_every_error_with_its_line_and_exits_non_zero()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("broken.toml");
        File.WriteAllText(path, """
            [server]
            listen = ["127.0.0.1"]
            reject_delay = -1

            [[client]]
            name = "nas"
            ipaddr = "300.1.1.1"
            secret = "x"
            """);
        var (exit, _, stderr) = await CliProcess.RunAsync(dir.Path, "check-config", "--config", path);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain($"{path}:2: error:"));
        Assert.That(stderr, Does.Contain($"{path}:3: error:"));
        Assert.That(stderr, Does.Contain($"{path}:7: error:"));
    }

    [Test]
    public async Task A_broken_dictionary_is_reported_with_its_file_and_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("dictionary"), "ATTRIBUTE User-Name 1 string\nFROBNICATE x 2\n");
        var path = dir.Combine("config.toml");
        File.WriteAllText(path, $"[server]\ndictionary = \"{dir.Combine("dictionary")}\"\n");
        var (exit, _, stderr) = await CliProcess.RunAsync(dir.Path, "check-config", "--config", path);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain($"{dir.Combine("dictionary")}:2"));
    }

    [Test]
    public async Task Missing_file_is_one_clear_error()
    {
        using var dir = new TempDirectory();
        var (exit, _, stderr) = await CliProcess.RunAsync(dir.Path, "check-config", "--config", "nope.toml");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("nope.toml").And.Contain("cannot read"));
    }

    [Test]
    public async Task Unknown_option_is_a_one_line_error()
    {
        var (exit, _, stderr) = await CliProcess.RunAsync(RepoPaths.Root, "check-config", "--colour", "blue");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain("unknown option --colour"));
    }

    [TestCase("check-config")]
    [TestCase("serve")]
    [TestCase("test-email", "--to", "alice@example.com")]
    public async Task A_ca_file_that_is_not_pem_is_a_config_error_not_a_crash(string command, params string[] extra)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("ca.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        var path = dir.Combine("config.toml");
        File.WriteAllText(path, $$"""
            [server]
            data_dir = "{{dir.Combine("data")}}"

            [[email_provider]]
            name = "corp"
            class = "SMTPEmailProvider"
            default = true
            config = { SMTP_SERVER = "127.0.0.1", PORT = 9, START_TLS = true, CA_FILE = "{{dir.Combine("ca.pem")}}" }
            """);

        var (exit, _, stderr) = await CliProcess.RunAsync(dir.Path, [command, "--config", path, .. extra]);

        Assert.That(exit, Is.AnyOf(1, 2), stderr);
        Assert.That(stderr, Does.Contain($"{path}:8: error:").And.Contain("CA_FILE"));
        Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace");
    }
}
