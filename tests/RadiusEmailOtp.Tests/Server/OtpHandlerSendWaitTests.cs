using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using RadiusEmailOtp.Handlers;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Tokens;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Server;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Server;

/// <summary>A client's own <c>send_wait</c> travels from its settings through the handler into the engine.</summary>
[TestFixture]
public sealed class OtpHandlerSendWaitTests
{
    private static readonly byte[] s_secret = Encoding.UTF8.GetBytes("testing123");
    private FakeTimeProvider _time = null!;
    private TempDirectory _directory = null!;
    private OtpStorage _storage = null!;
    private OtpEngine _engine = null!;
    private TaskCompletionSource<MailDeliveryResult> _delivery = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        _directory = new TempDirectory();
        _storage = await OtpStorage.OpenAsync(_directory.Combine("data"), _time, CancellationToken.None);
        var token = TokenFactory.Create(
            _storage.Protector, CryptoRandomSource.Instance, "alice", "example.com", "alice@example.com", "1234", OtpHashAlgorithm.Sha1, 6, 10, string.Empty, _time.GetUtcNow());
        Assert.That(await _storage.Store.AddTokenAsync(token, CancellationToken.None), Is.True);
        _delivery = new TaskCompletionSource<MailDeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The global send_wait is long and the fake clock never moves: only the client's 0 s lets the reply go.
        var settings = EmailTokenSettings.Default with { SendWait = TimeSpan.FromSeconds(30) };
        _engine = new OtpEngine(_storage.Store, _storage.Protector, new HeldMailSender(_delivery.Task), new OneRoute(), settings, RealmSettings.Defaults, _time);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        _delivery.TrySetResult(new MailDeliveryResult(true, "outbox", "<1@test>", "250 OK", null, TimeSpan.Zero));
        await _engine.DrainAsync(CancellationToken.None);
        _storage.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task A_client_send_wait_of_zero_lets_the_challenge_go_before_the_mail_is_delivered()
    {
        var handler = new OtpAccessRequestHandler(_engine, NullLogger.Instance);

        var response = await handler.HandleAsync(PinStep(TimeSpan.Zero), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(response!.Code, Is.EqualTo(RadiusCode.AccessChallenge));
        Assert.That(_delivery.Task.IsCompleted, Is.False, "the mail was still on its way");
    }

    private static RadiusRequestContext PinStep(TimeSpan sendWait)
    {
        var datagram = RawRadiusClient.AccessRequest(1, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234");
        Assert.That(RadiusPacketReader.TryRead(datagram, 200, out var packet), Is.EqualTo(RadiusDropReason.None));
        var settings = new ClientSettings(
            "vpn", IPNetwork.Parse("127.0.0.1/32"), s_secret, BlastRadiusPolicy.Yes, BlastRadiusPolicy.Auto, ChallengeMode.Challenge, "test:1")
        {
            SendWait = sendWait,
        };
        return new RadiusRequestContext(1, packet!, new RuntimeClient(settings), new IPEndPoint(IPAddress.Loopback, 40000), DateTimeOffset.MaxValue);
    }

    private sealed class OneRoute : IEmailRouteSelector
    {
        public EmailRoute Select(string user, string realm, IPAddress? client) => new(["outbox"]);
    }

    private sealed class HeldMailSender(Task<MailDeliveryResult> delivery) : IOtpMailSender
    {
        public Task<MailDeliveryResult> SendAsync(OtpMailRequest request, EmailRoute route, CancellationToken cancellationToken) => delivery;
    }
}
