using NUnit.Framework;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Cli;

/// <summary>check-config on the realm map, otppin = "password", autoenroll and resolver policies (issue 9).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CheckConfigRealmMapTests
{
    [Test]
    public async Task Otppin_password_on_a_local_realm_and_idle_autoenroll_are_warnings_not_errors()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("config.toml");
        File.WriteAllText(path, $$"""
            [server]
            dictionary = "{{RepoPaths.Dictionary}}"
            [realms."lab.example.com"]
            resolvers = ["local"]
            otppin = "password"

            [email_token]
            autoenroll = true
            """);

        var (exit, stdout, stderr) = await CliProcess.RunAsync(dir.Path, "check-config", "--config", path);

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("OK"));
        Assert.That(stderr, Does.Contain($"{path}:5: warning: [realms.\"lab.example.com\"] otppin:").And.Contain("keep their token PIN"));
        Assert.That(stderr, Does.Contain($"{path}:8: warning: [email_token] autoenroll:").And.Contain("nobody is auto-enrolled"));
    }

    [Test]
    public async Task A_realm_or_policy_naming_an_unknown_resolver_fails_with_its_line()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("config.toml");
        File.WriteAllText(path, """
            [realms."example.com"]
            resolvers = ["corp", "local"]

            [[policy]]
            name = "directory"
            action = "emailsubject=Directory code"
            user = "corp:"
            """);

        var (exit, _, stderr) = await CliProcess.RunAsync(dir.Path, "check-config", "--config", path);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain($"{path}:2: error: [realms.\"example.com\"] resolvers: \"corp\" is not a resolver (known: local)"));
        Assert.That(stderr, Does.Contain($"{path}:7: error: [[policy]] \"directory\" user: \"corp:\" names resolver \"corp\""));
    }
}
