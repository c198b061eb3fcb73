using NUnit.Framework;
using System.Net;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Otp.Engine;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

[TestFixture]
public sealed class ServerConfigTests
{
    [Test]
    public void Defaults_apply_when_server_table_is_empty()
    {
        var config = Load("[server]\n");
        Assert.That(config!.Server.Listen, Is.EqualTo(new[] { IPEndPoint.Parse("127.0.0.1:1812") }));
        Assert.That(config.Server.CleanupDelay, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(config.Server.RejectDelay, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(config.Server.MaxAttributes, Is.EqualTo(200));
        Assert.That(config.Server.RequireMessageAuthenticator, Is.EqualTo(BlastRadiusPolicy.Yes));
        Assert.That(config.Server.LimitProxyState, Is.EqualTo(BlastRadiusPolicy.Auto));
    }

    [Test]
    public void Ipv6_listen_address_needs_brackets_and_a_port()
    {
        var config = Load("[server]\nlisten = [\"[::1]:1812\", \"127.0.0.1:11812\"]\n");
        Assert.That(config!.Server.Listen.Select(e => e.ToString()), Is.EqualTo(new[] { "[::1]:1812", "127.0.0.1:11812" }));
        Assert.That(Errors("[server]\nlisten = \"::1\"\n"), Has.Some.Contains("is not host:port"));
    }

    [Test]
    public void Accounting_is_off_by_default_and_listen_acct_turns_it_on()
    {
        var config = Load("[server]\n");
        Assert.That(config!.Server.ListenAcct, Is.Empty);
        Assert.That(config.Server.AcctLog, Is.Null);
        config = Load("[server]\nlisten_acct = [\"127.0.0.1:1813\", \"[::1]:1813\"]\nacct_log = \"data/detail\"\n");
        Assert.That(config!.Server.ListenAcct.Select(e => e.ToString()), Is.EqualTo(new[] { "127.0.0.1:1813", "[::1]:1813" }));
        Assert.That(config.Server.AcctLog, Is.EqualTo(Path.GetFullPath("data/detail")), "beside the (test) config file");
        Assert.That(Load("[server]\nlisten_acct = []\nacct_log = \"\"\n")!.Server.ListenAcct, Is.Empty);
    }

    [Test]
    public void A_bad_listen_acct_address_is_an_error_with_its_line()
    {
        Assert.That(Errors("[server]\nreject_delay = 0\nlisten_acct = [\"127.0.0.1\"]\n"), Has.Some.StartsWith("t.toml:3: error: [server] listen_acct").And.Contains("is not host:port"));
    }

    [Test]
    public void A_wildcard_listen_address_is_a_warning()
    {
        var diagnostics = new ConfigDiagnostics("t.toml");
        var config = AppConfigLoader.Bind("t.toml", "[server]\nlisten = [\"0.0.0.0:1812\"]\n", diagnostics);
        Assert.That(config, Is.Not.Null);
        Assert.That(diagnostics.Items.Select(d => d.ToString()), Has.One.StartsWith("t.toml:2: warning: [server] listen").And.Contains("wildcard"));
    }

    [Test]
    public void Every_error_is_reported_with_its_line()
    {
        var errors = Errors("""
            [server]
            reject_delay = "soon"
            max_attributes = -1
            colour = "blue"

            [[client]]
            name = "nas"
            ipaddr = "10.0.0.1/8"
            secret = "x"
            challenge_mode = "maybe"
            """);
        Assert.That(errors, Has.Some.StartsWith("t.toml:2: error: [server] reject_delay"));
        Assert.That(errors, Has.Some.StartsWith("t.toml:3: error: [server] max_attributes"));
        Assert.That(errors, Has.Some.StartsWith("t.toml:4: error: [server]: unknown key \"colour\""));
        Assert.That(errors, Has.Some.StartsWith("t.toml:8: error: [[client]] \"nas\" ipaddr").And.Contains("did you mean 10.0.0.0/8"));
        Assert.That(errors, Has.Some.StartsWith("t.toml:10: error: [[client]] \"nas\" challenge_mode"));
    }

    [Test]
    public void Toml_syntax_error_names_its_line()
    {
        Assert.That(Errors("[server]\nreject_delay = \n"), Has.Some.StartsWith("t.toml:2: error:"));
    }

    [Test]
    public void Client_secret_comes_from_exactly_one_source()
    {
        Assert.That(Errors("[[client]]\nname = \"a\"\nipaddr = \"10.0.0.1\"\n"), Has.Some.Contains("give exactly one of secret, secret_file, secret_env"));
        Assert.That(Errors("[[client]]\nname = \"a\"\nipaddr = \"10.0.0.1\"\nsecret = \"x\"\nsecret_env = \"Y\"\n"), Has.Some.Contains("give exactly one"));
    }

    [Test]
    public void Client_secret_is_read_from_a_file_without_its_trailing_newline()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "s3cret\n");
            var config = Load($"[[client]]\nname = \"a\"\nipaddr = \"10.0.0.1\"\nsecret_file = \"{file}\"\n");
            Assert.That(config!.Clients[0].Secret, Is.EqualTo("s3cret"u8.ToArray()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Client_secret_is_read_from_the_environment()
    {
        Environment.SetEnvironmentVariable("REO_TEST_SECRET", "from-env");
        var config = Load("[[client]]\nname = \"a\"\nipaddr = \"10.0.0.1\"\nsecret_env = \"REO_TEST_SECRET\"\n");
        Assert.That(config!.Clients[0].Secret, Is.EqualTo("from-env"u8.ToArray()));
        Assert.That(Errors("[[client]]\nname = \"a\"\nipaddr = \"10.0.0.1\"\nsecret_env = \"REO_TEST_UNSET_VARIABLE\"\n"), Has.Some.Contains("is not set"));
    }

    [Test]
    public void Identical_duplicate_client_is_a_warning_and_a_conflicting_one_an_error()
    {
        const string First = "[[client]]\nname = \"a\"\nipaddr = \"10.0.0.0/8\"\nsecret = \"x\"\n";
        var diagnostics = new ConfigDiagnostics("t.toml");
        var config = AppConfigLoader.Bind("t.toml", First + "[[client]]\nname = \"b\"\nipaddr = \"10.0.0.0/8\"\nsecret = \"x\"\n", diagnostics);
        Assert.That(config, Is.Not.Null);
        Assert.That(config!.Clients, Has.Count.EqualTo(1));
        Assert.That(diagnostics.Items.Select(d => d.ToString()), Has.One.Contains("warning").And.Contains("is already client \"a\" with the same settings"));
        Assert.That(Errors(First + "[[client]]\nname = \"b\"\nipaddr = \"10.0.0.0/8\"\nsecret = \"y\"\n"), Has.Some.Contains("is already client \"a\""));
        Assert.That(Errors(First + "[[client]]\nname = \"a\"\nipaddr = \"10.0.0.1\"\nsecret = \"y\"\n"), Has.Some.Contains("t.toml:6: error: client \"a\" is defined twice"));
        Assert.That(
            Errors(First + "[[client]]\nname = \"b\"\nipaddr = \"10.0.0.0/8\"\nsecret = \"x\"\nrequire_message_authenticator = \"no\"\n"),
            Has.Some.Contains("with other settings"),
            "a BlastRADIUS policy that differs is a conflict, not a repeat");
    }

    [Test]
    public void The_same_client_in_toml_and_clients_conf_is_a_warning()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "client localhost {\n  ipaddr = 127.0.0.1\n  secret = testing123\n}\n");
            var diagnostics = new ConfigDiagnostics("t.toml");
            var config = AppConfigLoader.Bind("t.toml", $"[server]\nclients_conf = \"{file}\"\n[[client]]\nname = \"localhost\"\nipaddr = \"127.0.0.1\"\nsecret = \"testing123\"\n", diagnostics);
            Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
            Assert.That(diagnostics.Items.Select(d => d.ToString()), Has.One.Contains("warning: client \"localhost\" is defined twice with the same settings"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Max_attributes_zero_means_no_limit_as_in_freeradius()
    {
        Assert.That(Load("[server]\nmax_attributes = 0\n")!.Server.MaxAttributes, Is.Zero);
    }

    [Test]
    public void Clients_conf_is_imported_beside_the_toml_clients()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "client vpn {\n  ipaddr = 192.0.2.0/24\n  secret = \"conf-secret\"\n  require_message_authenticator = no\n}\n");
            var config = Load($"[server]\nclients_conf = \"{file}\"\n[[client]]\nname = \"a\"\nipaddr = \"10.0.0.1\"\nsecret = \"x\"\n");
            Assert.That(config!.Clients.Select(c => c.Name), Is.EqualTo(new[] { "a", "vpn" }));
            Assert.That(config.Clients[1].Network, Is.EqualTo(IPNetwork.Parse("192.0.2.0/24")));
            Assert.That(config.Clients[1].RequireMessageAuthenticator, Is.EqualTo(BlastRadiusPolicy.No));
            Assert.That(config.Clients[1].Source, Is.EqualTo($"{file}:1"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Clients_conf_errors_name_the_clients_conf_file_and_line()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "client vpn {\n  ipaddr = 192.0.2.0/24\n}\n");
            var diagnostics = new ConfigDiagnostics("t.toml");
            AppConfigLoader.Bind("t.toml", $"[server]\nclients_conf = \"{file}\"\n", diagnostics);
            Assert.That(diagnostics.Items.Where(d => d.IsError).Select(d => d.File), Is.All.EqualTo(file));
            Assert.That(diagnostics.HasErrors, Is.True);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Ipv6_client_network_and_reject_mode_are_read()
    {
        var config = Load("[[client]]\nname = \"v6\"\nipaddr = \"2001:db8::/32\"\nsecret = \"x\"\nchallenge_mode = \"reject\"\n");
        Assert.That(config!.Clients[0].Network, Is.EqualTo(IPNetwork.Parse("2001:db8::/32")));
        Assert.That(config.Clients[0].ChallengeMode, Is.EqualTo(ChallengeMode.Reject));
    }

    [Test]
    public void Client_to_string_never_shows_the_secret()
    {
        var config = Load("[[client]]\nname = \"a\"\nipaddr = \"10.0.0.1\"\nsecret = \"very-secret\"\n");
        Assert.That(config!.Clients[0].ToString(), Does.Not.Contain("very-secret"));
    }

    [Test]
    public void A_short_secret_outside_loopback_is_a_warning_with_its_line_and_without_the_secret()
    {
        var warnings = Warnings("[server]\n\n[[client]]\nname = \"lan\"\nipaddr = \"10.0.0.0/8\"\nsecret = \"0123456789\"\n");
        Assert.That(warnings, Has.One.StartsWith("t.toml:6: warning: client \"lan\"").And.Contains("shorter than 12 characters"));
        Assert.That(warnings, Has.None.Contains("0123456789"));
    }

    [Test]
    public void A_twelve_character_secret_is_no_warning()
    {
        Assert.That(Warnings("[[client]]\nname = \"lan\"\nipaddr = \"10.0.0.0/8\"\nsecret = \"0123456789ab\"\n"), Is.Empty);
    }

    [Test]
    public void The_well_known_testing123_outside_loopback_is_a_warning_without_the_secret()
    {
        var warnings = Warnings("[[client]]\nname = \"nas\"\nipaddr = \"192.0.2.1\"\nsecret = \"testing123\"\n");
        Assert.That(warnings, Has.One.StartsWith("t.toml:4: warning: client \"nas\"").And.Contains("well-known"));
        Assert.That(warnings, Has.None.Contains("testing123"));
    }

    [TestCase("127.0.0.1")]
    [TestCase("127.0.0.0/8")]
    [TestCase("::1")]
    public void A_weak_secret_on_loopback_is_no_warning(string ipaddr)
    {
        Assert.That(Warnings($"[[client]]\nname = \"local\"\nipaddr = \"{ipaddr}\"\nsecret = \"testing123\"\n"), Is.Empty);
    }

    [Test]
    public void A_network_reaching_beyond_loopback_gets_the_warning()
    {
        Assert.That(Warnings("[[client]]\nname = \"wide\"\nipaddr = \"0.0.0.0/0\"\nsecret = \"testing123\"\n"), Has.One.Contains("well-known"));
    }

    private static AppConfig? Load(string toml)
    {
        var diagnostics = new ConfigDiagnostics("t.toml");
        var config = AppConfigLoader.Bind("t.toml", toml, diagnostics);
        Assert.That(diagnostics.Items.Where(d => d.IsError), Is.Empty);
        return config;
    }

    /// <summary>The warnings about clients (a config without [[email_provider]] also warns about the outbox).</summary>
    private static List<string> Warnings(string toml)
    {
        var diagnostics = new ConfigDiagnostics("t.toml");
        Assert.That(AppConfigLoader.Bind("t.toml", toml, diagnostics), Is.Not.Null);
        return diagnostics.Items.Where(d => !d.IsError && d.Message.StartsWith("client ", StringComparison.Ordinal)).Select(d => d.ToString()).ToList();
    }

    private static List<string> Errors(string toml)
    {
        var diagnostics = new ConfigDiagnostics("t.toml");
        var config = AppConfigLoader.Bind("t.toml", toml, diagnostics);
        Assert.That(config, Is.Null, "a config with errors must not load");
        return diagnostics.Items.Where(d => d.IsError).Select(d => d.ToString()).ToList();
    }
}
