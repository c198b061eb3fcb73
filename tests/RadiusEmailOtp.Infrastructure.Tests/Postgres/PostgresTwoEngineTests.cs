using System.Net;
using System.Text;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Tests.Storage;
using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Realms;

namespace RadiusEmailOtp.Infrastructure.Tests.Postgres;

/// <summary>
/// Two engines, each on its own <c>PostgresOtpStore</c> and data source, on one database: two RADIUS nodes behind one
/// NAS (primary and secondary). Each engine has its own per-user lock, so only the database keeps them consistent.
/// </summary>
public sealed class PostgresTwoEngineTests() : StoreTestBase(StoreEngine.Postgres)
{
    [Test]
    public async Task A_login_on_two_nodes_at_once_mails_once_shares_one_state_and_is_accepted_once()
    {
        var nodeA = await OpenStoreAsync("radius-a");
        var nodeB = await OpenStoreAsync("radius-b");
        await AddUserTokenAsync(nodeA);
        var mail = new RecordingMailSender();
        var engines = new[] { NodeEngine(nodeA, mail), NodeEngine(nodeB, mail) };

        // PINs for the same user at both nodes at once (a NAS retrying on its secondary, several times over).
        var challenges = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => AuthAsync(engines[i % 2], "1234", null))));

        Assert.That(mail.Otps, Has.Count.EqualTo(1), "one mail");
        Assert.That(challenges.Select(r => r.Outcome), Is.All.EqualTo(AuthenticationOutcome.Challenge));
        var states = challenges.Select(r => Encoding.ASCII.GetString(r.State!)).Distinct().ToList();
        Assert.That(states, Has.Count.EqualTo(1), "every reply carries the winner's State");

        // The same OTP and State at both nodes at once: one Accept.
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            AuthAsync(engines[i % 2], mail.Otps[0], Encoding.ASCII.GetBytes(states[0])))));

        Assert.That(answers.Count(r => r.Outcome == AuthenticationOutcome.Accept), Is.EqualTo(1));
        foreach (var engine in engines)
        {
            await engine.DrainAsync(CancellationToken.None);
        }
    }

    [Test]
    public async Task The_pin_on_one_node_and_the_otp_on_the_other_is_accepted()
    {
        var nodeA = await OpenStoreAsync("radius-a");
        var nodeB = await OpenStoreAsync("radius-b");
        await AddUserTokenAsync(nodeA);
        var mail = new RecordingMailSender();
        var a = NodeEngine(nodeA, mail);
        var b = NodeEngine(nodeB, mail);

        var challenge = await AuthAsync(a, "1234", null);
        var accepted = await AuthAsync(b, mail.Otps[0], challenge.State);
        var replay = await AuthAsync(a, mail.Otps[0], challenge.State);

        Assert.That(challenge.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(accepted.Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
        Assert.That(replay.Outcome, Is.Not.EqualTo(AuthenticationOutcome.Accept), "no replay on the first node");
        await a.DrainAsync(CancellationToken.None);
        await b.DrainAsync(CancellationToken.None);
    }

    private OtpEngine NodeEngine(StoreUnderTest node, RecordingMailSender mail) =>
        new(node.Store, node.Protector, mail, new Route(), EmailTokenSettings.Default, RealmSettings.Defaults, Time);

    private static Task<AuthenticationResult> AuthAsync(OtpEngine engine, string password, byte[]? state) =>
        engine.AuthenticateAsync(
            new AuthenticationRequest("alice", password, state ?? ReadOnlyMemory<byte>.Empty, "vpn1", IPAddress.Parse("10.1.2.3"), ChallengeMode.Challenge),
            CancellationToken.None);

    private sealed class Route : IEmailRouteSelector
    {
        public EmailRoute Select(string user, string realm, string resolver, IPAddress? client) => new(["outbox"]);
    }

    private sealed class RecordingMailSender : IOtpMailSender
    {
        private readonly List<string> _otps = [];

        public IReadOnlyList<string> Otps
        {
            get
            {
                lock (_otps)
                {
                    return [.. _otps];
                }
            }
        }

        public Task<MailDeliveryResult> SendAsync(OtpMailRequest request, EmailRoute route, CancellationToken cancellationToken)
        {
            lock (_otps)
            {
                _otps.Add(request.Otp);
            }

            return Task.FromResult(new MailDeliveryResult(true, "outbox", "id", "250 ok", null, TimeSpan.FromMilliseconds(1)));
        }
    }
}
