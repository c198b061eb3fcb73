using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

[TestFixture]
public sealed class MaxRequestTimeConfigTests
{
    [Test]
    public void Max_request_time_defaults_to_five_seconds()
    {
        Assert.That(Bind("[server]\n", out _)!.Server.MaxRequestTime, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [TestCase(1)]
    [TestCase(120)]
    public void Max_request_time_takes_whole_seconds_from_1_to_120(int seconds)
    {
        var config = Bind($"[server]\nmax_request_time = {seconds}\n", out var diagnostics);

        Assert.That(diagnostics.HasErrors, Is.False, string.Join("\n", diagnostics.Items));
        Assert.That(config!.Server.MaxRequestTime, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase("0", "is out of range 1..120")]
    [TestCase("121", "is out of range 1..120")]
    [TestCase("-5", "is out of range 1..120")]
    [TestCase("2.5", "expected an integer")]
    [TestCase("\"soon\"", "expected an integer")]
    public void Max_request_time_out_of_range_or_not_whole_seconds_is_an_error_with_its_line(string value, string message)
    {
        var config = Bind($"[server]\nreject_delay = 0\nmax_request_time = {value}\n", out var diagnostics);

        Assert.That(config, Is.Null, "a config with errors must not load");
        var errors = diagnostics.Items.Where(d => d.IsError).Select(d => d.ToString()).ToList();
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("t.toml:3: error: [server] max_request_time: "));
        Assert.That(errors[0], Does.Contain(message));
    }

    private static AppConfig? Bind(string toml, out ConfigDiagnostics diagnostics)
    {
        diagnostics = new ConfigDiagnostics("t.toml");
        return AppConfigLoader.Bind("t.toml", toml, diagnostics);
    }
}
