using NUnit.Framework;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.EndToEnd;

/// <summary>
/// Issue 7 item 5: with Message-Authenticator not required, a request signed with the wrong shared secret still gets
/// through the protocol checks, but its User-Password decodes to garbage: that is no one's wrong password.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class WrongSecretEndToEndTests
{
    [Test]
    public async Task Requests_with_a_wrong_shared_secret_are_rejected_and_never_raise_the_failcount()
    {
        await using var server = await TestServer.StartAsync("""
            [[client]]
            name = "old-nas"
            ipaddr = "127.0.0.1"
            secret = "the-right-secret-4711"
            require_message_authenticator = "no"
            """);
        await TokenCli.EnrollAsync(server.ConfigPath, "alice", "alice@example.com", "123456");
        using var client = new RawRadiusClient(server.EndPoint);

        for (byte id = 1; id <= 12; id++)
        {
            // A 16-character guess hidden with another secret: what the server decodes is random octets.
            var request = RawRadiusClient.AccessRequest(id, RawRadiusClient.NewAuthenticator(), "a-wrong-secret", "alice", "guess-" + id.ToString("D10"), withMa: false);
            var reply = await client.ExchangeAsync(request);
            Assert.That(reply, Is.Not.Null);
            Assert.That(reply![0], Is.EqualTo((byte)RadiusCode.AccessReject));
        }

        var tokens = await TokenCli.ListJsonAsync(server.ConfigPath);
        Assert.That(tokens.EnumerateArray().Single().GetProperty("failcount").GetInt32(), Is.Zero);
        Assert.That(server.Log.Text, Does.Contain("is the shared secret right?"));
        Assert.That(server.Log.Lines.Count(l => l.Contains("is the shared secret right?", StringComparison.Ordinal)), Is.EqualTo(1), "rate-limited");

        // The right secret still works and the user is not held back.
        using var nas = new NasClient(server, "the-right-secret-4711");
        var challenge = await nas.LoginAsync("alice", "123456");
        Assert.That(challenge.Code, Is.EqualTo(RadiusCode.AccessChallenge));
    }
}
