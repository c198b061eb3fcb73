using System.Net;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

/// <summary>The [log] and [metrics] tables: defaults, every choice, and errors with their line.</summary>
[TestFixture]
public sealed class LogAndMetricsConfigTests
{
    [Test]
    public void Without_the_tables_logs_are_text_on_stdout_and_metrics_are_off()
    {
        var config = Bind("[server]\n", out _)!;
        Assert.That(config.Log, Is.EqualTo(LogSettings.Default));
        Assert.That(config.Log.Facility, Is.EqualTo(3), "daemon");
        Assert.That(config.Metrics.Listen, Is.Null);
    }

    [Test]
    public void Json_to_a_file_and_syslog_facilities_are_read()
    {
        var file = Bind("[log]\nformat = \"json\"\ndestination = \"file\"\nfile = \"/var/log/reo.log\"\n", out _)!.Log;
        Assert.That(file, Is.EqualTo(new LogSettings(LogFormat.Json, LogDestination.File, "/var/log/reo.log", 3)));
        var syslog = Bind("[log]\ndestination = \"syslog\"\nfacility = \"local3\"\n", out _)!.Log;
        Assert.That((syslog.Destination, syslog.Facility), Is.EqualTo((LogDestination.Syslog, 19)));
    }

    [TestCase("[log]\nformat = \"xml\"\n", "t.toml:2: error: [log] format: \"xml\" is not one of text, json")]
    [TestCase("[log]\ndestination = \"file\"\n", "t.toml:2: error: [log] destination: \"file\" needs file = ")]
    [TestCase("[log]\nfacility = \"kern\"\n", "t.toml:2: error: [log] facility: \"kern\" is not one of")]
    [TestCase("[log]\nlevel = \"debug\"\n", "t.toml:2: error: [log]: unknown key \"level\"")]
    [TestCase("[metrics]\nlisten = \"9812\"\n", "t.toml:2: error: [metrics] listen: \"9812\" is not host:port")]
    [TestCase("[metrics]\nport = 9812\n", "t.toml:2: error: [metrics]: unknown key \"port\"")]
    public void A_wrong_value_is_an_error_with_its_line(string toml, string expected)
    {
        Assert.That(Bind(toml, out var diagnostics), Is.Null);
        Assert.That(diagnostics.Items.Where(d => d.IsError).Select(d => d.ToString()), Has.Some.StartsWith(expected), string.Join("\n", diagnostics.Items));
    }

    [Test]
    public void Metrics_listen_takes_ipv4_and_ipv6_and_warns_outside_loopback()
    {
        Assert.That(Bind("[metrics]\nlisten = \"127.0.0.1:9812\"\n", out _)!.Metrics.Listen, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 9812)));
        Assert.That(Bind("[metrics]\nlisten = \"[::1]:9812\"\n", out _)!.Metrics.Listen, Is.EqualTo(new IPEndPoint(IPAddress.IPv6Loopback, 9812)));
        Assert.That(Bind("[metrics]\nlisten = \"\"\n", out _)!.Metrics.Listen, Is.Null, "empty is off");
        Bind("[metrics]\nlisten = \"0.0.0.0:9812\"\n", out var diagnostics);
        Assert.That(diagnostics.Items.Single(d => d.Message.StartsWith("[metrics]", StringComparison.Ordinal)).ToString(), Does.StartWith("t.toml:2: warning: [metrics] listen: \"0.0.0.0:9812\" is not a loopback address"));
    }

    private static AppConfig? Bind(string toml, out ConfigDiagnostics diagnostics)
    {
        diagnostics = new ConfigDiagnostics("t.toml");
        return AppConfigLoader.Bind("t.toml", toml, diagnostics);
    }
}
