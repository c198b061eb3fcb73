using NUnit.Framework;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Cli;

/// <summary>The real CLI on a config whose reply_attributes are wrong: every item's error on its line, and no server start.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CheckConfigReplyAttributesTests
{
    [TestCase("check-config")]
    [TestCase("serve")]
    public async Task Bad_reply_attributes_are_errors_with_their_lines(string command)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("config.toml");
        File.WriteAllText(path, $$"""
            [server]
            dictionary = "{{RepoPaths.Dictionary}}"
            data_dir = "{{dir.Combine("data")}}"

            [[client]]
            name = "vpn"
            ipaddr = "127.0.0.1"
            secret = "testing123"
            reply_attributes = ["Cisco-AVPair = \"shell:priv-lvl=15\"", "User-Password = \"x\""]

            [[policy]]
            name = "staff"
            user = "*"
            reply_attributes = [
                "Fortinet-Group-Name = \"${realm}-vpn\"",
                "Framed-IP-Address = 10.8.0.300",
            ]
            """);

        var (exit, _, stderr) = await CliProcess.RunAsync(dir.Path, command, "--config", path);

        Assert.That(exit, Is.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain($"{path}:9: error: [[client]] \"vpn\" reply_attributes: \"User-Password = \"x\"\": User-Password cannot be set by configuration"));
        Assert.That(stderr, Does.Contain($"{path}:16: error: [[policy]] \"staff\" reply_attributes: \"Framed-IP-Address = 10.8.0.300\": \"10.8.0.300\" is not an IPv4 address"));
        Assert.That(stderr, Does.Not.Contain("Cisco-AVPair").And.Not.Contain("Fortinet"), "good items are not reported");
    }
}
