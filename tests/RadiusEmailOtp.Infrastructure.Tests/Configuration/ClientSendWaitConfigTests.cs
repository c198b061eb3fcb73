using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

/// <summary>A <c>[[client]]</c>'s own <c>send_wait</c> (issue 7): bound, range-checked and warned about like the global one.</summary>
public sealed class ClientSendWaitConfigTests
{
    private const string Client = "[[client]]\nname = \"nas\"\nipaddr = \"127.0.0.1\"\nsecret = \"a-long-enough-secret\"\n";

    [Test]
    public void A_client_without_send_wait_uses_the_email_token_one()
    {
        var config = Bind(Client, out _)!;

        Assert.That(config.Clients.Single().SendWait, Is.Null);
    }

    [Test]
    public void A_client_send_wait_is_bound()
    {
        var config = Bind(Client + "send_wait = 0.5\n", out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        Assert.That(config!.Clients.Single().SendWait, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
        Assert.That(diagnostics.Items.Where(d => d.ToString().Contains("send_wait")), Is.Empty);
    }

    [Test]
    public void A_client_send_wait_of_three_seconds_or_more_is_a_warning_with_its_line()
    {
        var config = Bind(Client + "send_wait = 3\n", out var diagnostics);

        Assert.That(config, Is.Not.Null);
        Assert.That(config!.Clients.Single().SendWait, Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(
            diagnostics.Items.Where(d => !d.IsError).Select(d => d.ToString()),
            Has.One.StartsWith("t.toml:5: warning: [[client]] \"nas\" send_wait").And.Contains("3 s"));
    }

    [TestCase("send_wait = -1")]
    [TestCase("send_wait = \"soon\"")]
    public void A_bad_client_send_wait_is_an_error_with_its_line(string line)
    {
        var config = Bind(Client + line + "\n", out var diagnostics);

        Assert.That(config, Is.Null);
        Assert.That(diagnostics.Items.Single(d => d.IsError).ToString(), Does.StartWith("t.toml:5: error:").And.Contains("send_wait"));
    }

    private static AppConfig? Bind(string text, out ConfigDiagnostics diagnostics)
    {
        diagnostics = new ConfigDiagnostics("t.toml");
        return AppConfigLoader.Bind("t.toml", text, diagnostics);
    }
}
