using System.Text;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Realms;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>
/// Two engines on one store stand in for two nodes on one database: each has its own per-user lock, so only the store
/// keeps them from both mailing.
/// </summary>
public sealed class TwoNodeTests : EngineTestBase
{
    [Test]
    public async Task The_same_pin_on_two_nodes_at_once_sends_one_mail_and_both_answer_with_the_same_state()
    {
        await EnrollAsync();
        var store = new CountingOtpStore(Store);
        var arrived = 0;
        var bothRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Both nodes have read "no open challenge" before either creates one: the race the store must decide.
        store.BeforeCreateChallenge = () =>
        {
            if (Interlocked.Increment(ref arrived) == 2)
            {
                bothRead.SetResult();
            }

            return bothRead.Task.WaitAsync(TimeSpan.FromSeconds(10));
        };
        var nodeA = new OtpEngine(store, Storage.Protector, Mail, Routes, Settings, RealmSettings.Defaults, Time);
        var nodeB = new OtpEngine(store, Storage.Protector, Mail, Routes, Settings, RealmSettings.Defaults, Time);

        var results = await Task.WhenAll(Task.Run(() => PinAsync(nodeA)), Task.Run(() => PinAsync(nodeB)));
        await nodeA.DrainAsync(CancellationToken.None);
        await nodeB.DrainAsync(CancellationToken.None);

        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(results.Select(r => Encoding.ASCII.GetString(r.State!)).Distinct().Count(), Is.EqualTo(1));
        Assert.That(results.Select(r => r.Reason), Is.EquivalentTo(new[] { "challenge sent", "already sent" }));
        Assert.That(await ChallengesAsync(), Has.Count.EqualTo(1));
    }

    private static Task<AuthenticationResult> PinAsync(OtpEngine engine) =>
        engine.AuthenticateAsync(
            new AuthenticationRequest("alice", "1234", ReadOnlyMemory<byte>.Empty, "vpn1", System.Net.IPAddress.Parse("10.1.2.3"), ChallengeMode.Challenge), CancellationToken.None);
}
