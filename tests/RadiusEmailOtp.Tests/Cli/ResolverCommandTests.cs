using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Tests.Ldap;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Cli;

/// <summary><c>resolver test</c> and <c>check-config --connect</c> against a throw-away slapd.</summary>
[NonParallelizable]
public sealed class ResolverCommandTests : InProcessCliTest
{
    private SlapdServer _slapd = null!;

    [OneTimeSetUp]
    public async Task StartSlapdAsync() => _slapd = await SlapdServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopSlapdAsync()
    {
        if (_slapd is not null)
        {
            await _slapd.DisposeAsync();
        }
    }

    [SetUp]
    public void AddResolver()
    {
        // check-config loads the dictionary too; the test's working directory is not the repository.
        var dictionary = Path.Combine(RepoPaths.Root, "dictionaries", "dictionary");
        var text = File.ReadAllText(ConfigPath).Replace("[server]\n", $"[server]\ndictionary = \"{dictionary}\"\n", StringComparison.Ordinal);
        File.WriteAllText(ConfigPath, text + Resolver(_slapd.LdapUri, SlapdServer.ReaderPassword));
    }

    [Test]
    public async Task A_user_is_printed_with_dn_and_email()
    {
        var (code, stdout, stderr) = await RunAsync("resolver", "test", "corp", "--user", "Alice");

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("dn: uid=alice,ou=people,dc=example,dc=com\n").And.Contain("email: alice@corp.example\n").And.Contain("groups:"));
        Assert.That(stdout, Does.Not.Contain("password:"));
    }

    [TestCase("alice-password", "password: ok")]
    [TestCase("not-it", "password: wrong")]
    public async Task The_password_from_stdin_is_checked_and_never_printed(string password, string expected)
    {
        var (code, stdout, stderr) = await RunWithInputAsync(password + "\n", "resolver", "test", "corp", "--user", "alice", "--password", "-");

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain(expected));
        Assert.That(stdout + stderr, Does.Not.Contain(password));
    }

    [Test]
    public async Task An_unknown_user_exits_1()
    {
        var (code, stdout, stderr) = await RunAsync("resolver", "test", "corp", "--user", "*)(uid=*");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.Contain("not found"));
    }

    [Test]
    public async Task A_password_on_the_command_line_or_an_unknown_resolver_is_a_usage_error()
    {
        var inline = await RunAsync("resolver", "test", "corp", "--user", "alice", "--password", "alice-password");
        var unknown = await RunAsync("resolver", "test", "hr", "--user", "alice");

        Assert.That(inline.Code, Is.EqualTo(2));
        Assert.That(inline.Error, Does.Contain("--password takes only \"-\"").And.Not.Contain("alice-password"));
        Assert.That(unknown.Code, Is.EqualTo(2));
        Assert.That(unknown.Error, Does.Contain("no LDAP resolver named \"hr\"").And.Contain("corp"));
    }

    [Test]
    public async Task Check_config_connect_binds_and_reports_a_refused_service_account()
    {
        var good = await RunAsync("check-config", "--connect");
        File.WriteAllText(ConfigPath, File.ReadAllText(ConfigPath).Replace(SlapdServer.ReaderPassword, "wrong-one", StringComparison.Ordinal));
        var bad = await RunAsync("check-config", "--connect");

        Assert.That(good.Code, Is.Zero, good.Error);
        Assert.That(good.Out, Does.Contain("resolver corp: OK"));
        Assert.That(bad.Code, Is.EqualTo(1));
        Assert.That(bad.Error, Does.Contain("resolver corp:").And.Contain("service account was refused").And.Not.Contain("wrong-one"));
    }

    private static string Resolver(string uri, string password) => $"""


        [[resolver]]
        name = "corp"
        uri = ["{uri}"]
        bind_dn = "{SlapdServer.ReaderDn}"
        bind_password = "{password}"
        base_dn = "{SlapdServer.BaseDn}"
        search_filter = "(objectClass=inetOrgPerson)"
        timeout = "2;2"

        """;
}
