using NUnit.Framework;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Logging;

/// <summary>
/// serve --debug / -X prints every packet with its attributes by dictionary name, as radiusd -X does, and never a
/// secret: User-Password, State and Message-Authenticator show as &lt;hidden&gt;, and the PIN and the OTP appear nowhere.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class PacketTraceTests
{
    private const string Pin = "pin-4xq8";

    [Test]
    public async Task A_login_is_traced_by_attribute_name_with_secrets_hidden()
    {
        await using var server = await TestServer.StartAsync();
        await TokenCli.EnrollAsync(server.ConfigPath, "alice", "alice@example.com", Pin);
        using var nas = new NasClient(server, "testing123");

        var challenge = await nas.LoginAsync("alice", Pin);
        Assert.That(challenge.Code, Is.EqualTo(RadiusCode.AccessChallenge));
        var otp = await server.Outbox.WaitForOtpAsync(1);
        var accept = await nas.LoginAsync("alice", otp, NasClient.State(challenge));
        Assert.That(accept.Code, Is.EqualTo(RadiusCode.AccessAccept));

        var traces = server.Log.Lines.Where(l => l.Contains(" : Debug: Received ", StringComparison.Ordinal) || l.Contains(" : Debug: Sent ", StringComparison.Ordinal)).ToList();
        var received = traces.Where(l => l.Contains("Received Access-Request Id ", StringComparison.Ordinal)).ToList();
        Assert.That(received, Has.Count.EqualTo(2), server.Log.Text);
        Assert.That(received[0], Does.Match($@"Received Access-Request Id \d+ from 127\.0\.0\.1:\d+ to 127\.0\.0\.1:{server.EndPoint.Port} length \d+\n"));
        Assert.That(received[0], Does.Contain("\n\tUser-Name = \"alice\"").And.Contain("\n\tUser-Password = <hidden>").And.Contain("\n\tMessage-Authenticator = <hidden>"));
        Assert.That(received[1], Does.Contain("\n\tState = <hidden>"));

        var sentChallenge = traces.Single(l => l.Contains("Sent Access-Challenge Id ", StringComparison.Ordinal));
        Assert.That(sentChallenge, Does.Match($@"Sent Access-Challenge Id \d+ from 127\.0\.0\.1:{server.EndPoint.Port} to 127\.0\.0\.1:\d+ length \d+\n"));
        Assert.That(sentChallenge, Does.Contain("\n\tState = <hidden>").And.Contain("\n\tReply-Message = \"Enter the code sent to a***e@example.com: \"").And.Contain("\n\tSession-Timeout = 300"));
        Assert.That(traces, Has.Some.Contains("Sent Access-Accept Id "));

        var log = server.Log.Text;
        Assert.That(log, Does.Not.Contain(Pin));
        Assert.That(log, Does.Not.Match($"(?<![0-9A-Za-z]){otp}(?![0-9A-Za-z])"));
        var state = Convert.ToHexStringLower(NasClient.State(challenge).Span);
        Assert.That(log, Does.Not.Contain(state), "the State is the key to alice's challenge");
    }
}
