using NUnit.Framework;
using RadiusEmailOtp.Handlers;
using RadiusEmailOtp.Hosting;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Server;

/// <summary>
/// A store that cannot be reached (StoreUnavailableException, as the PostgreSQL store throws after its retry, or a store
/// not opened yet): the handler answers Access-Reject, never drops the packet, logs one warning a minute, and one line when
/// the store answers again.
/// </summary>
[TestFixture]
public sealed class OtpHandlerStoreDownTests : HandlerEngineTestBase
{
    [Test]
    public async Task An_unreachable_store_is_a_reject_with_one_warning_a_minute_and_a_line_when_it_is_back()
    {
        using var log = new CapturingLoggerProvider();
        var logger = log.CreateLogger("radiusd");
        var gate = new GatedOtpStore(Storage.Store, "the database at db1:5432 cannot be reached: Connection refused");
        var engine = new OtpEngine(gate, Storage.Protector, new NullMail(), new OneRoute(), EmailTokenSettings.Default, RealmSettings.Defaults, Time);
        var handler = new OtpAccessRequestHandler(engine, logger, Time, store: new StoreAvailability(logger, Time));

        for (var i = 0; i < 3; i++)
        {
            var response = await handler.HandleAsync(PinStep(Time.GetUtcNow() + TimeSpan.FromSeconds(5)), CancellationToken.None);
            Assert.That(response?.Code, Is.EqualTo(RadiusCode.AccessReject), "a reject, not a drop the NAS would retransmit");
        }

        Assert.That(Count(log, "store unavailable: the database at db1:5432 cannot be reached"), Is.EqualTo(1), log.Text);
        Assert.That(Count(log, "Login incorrect (store unavailable)"), Is.EqualTo(3));

        Time.Advance(StoreAvailability.WarningInterval);
        await handler.HandleAsync(PinStep(Time.GetUtcNow() + TimeSpan.FromSeconds(5)), CancellationToken.None);
        Assert.That(Count(log, "store unavailable: "), Is.EqualTo(2), "a minute later, one more");
        Assert.That(log.Text, Does.Contain("(2 similar messages suppressed)"), "the held-back ones are counted");

        gate.Open();
        var challenge = await handler.HandleAsync(PinStep(Time.GetUtcNow() + TimeSpan.FromSeconds(5)), CancellationToken.None);
        Assert.That(challenge?.Code, Is.EqualTo(RadiusCode.AccessChallenge));
        Assert.That(Count(log, "store available again"), Is.EqualTo(1));
        await handler.HandleAsync(PinStep(Time.GetUtcNow() + TimeSpan.FromSeconds(5)), CancellationToken.None);
        Assert.That(Count(log, "store available again"), Is.EqualTo(1), "said once");
    }

    private static int Count(CapturingLoggerProvider log, string text) => log.Lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    private sealed class NullMail : IOtpMailSender
    {
        public Task<MailDeliveryResult> SendAsync(OtpMailRequest request, EmailRoute route, CancellationToken cancellationToken) =>
            Task.FromResult(new MailDeliveryResult(true, "outbox", "<1@test>", "250 OK", null, TimeSpan.Zero));
    }

    private sealed class OneRoute : IEmailRouteSelector
    {
        public EmailRoute Select(string user, string realm, string resolver, System.Net.IPAddress? client) => new(["outbox"]);
    }
}
