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

/// <summary>The request's answer time travels from the server through the handler into the engine, and "drop" comes back as no reply.</summary>
[TestFixture]
public sealed class OtpHandlerDeadlineTests
{
    private static readonly byte[] s_secret = Encoding.UTF8.GetBytes("testing123");
    private FakeTimeProvider _time = null!;
    private RecordingMailSender _mail = null!;
    private TempDirectory _directory = null!;
    private OtpStorage _storage = null!;
    private OtpAccessRequestHandler _handler = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        // NUnit shares one fixture instance between its tests: everything is made afresh here.
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        _mail = new RecordingMailSender();
        _directory = new TempDirectory();
        _storage = await OtpStorage.OpenAsync(_directory.Combine("data"), _time, CancellationToken.None);
        var token = TokenFactory.Create(
            _storage.Protector, CryptoRandomSource.Instance, "alice", "example.com", "alice@example.com", "1234", OtpHashAlgorithm.Sha1, 6, 10, string.Empty, _time.GetUtcNow());
        Assert.That(await _storage.Store.AddTokenAsync(token, CancellationToken.None), Is.True);
        var engine = new OtpEngine(
            _storage.Store, _storage.Protector, _mail, new OneRoute(), EmailTokenSettings.Default, RealmSettings.Defaults, _time);
        _handler = new OtpAccessRequestHandler(engine, NullLogger.Instance);
    }

    [TearDown]
    public void TearDown()
    {
        _storage.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task A_pin_step_whose_answer_time_has_passed_gets_no_reply_and_sends_no_mail()
    {
        var response = await _handler.HandleAsync(PinStep(answerBy: _time.GetUtcNow()), CancellationToken.None);

        Assert.That(response, Is.Null, "no reply: the server sheds it and a retransmit starts afresh");
        Assert.That(_mail.Sent, Is.Zero);
        Assert.That(await _storage.Store.ListChallengesAsync(null, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task A_pin_step_in_time_is_challenged_and_mailed()
    {
        var response = await _handler.HandleAsync(PinStep(answerBy: _time.GetUtcNow() + TimeSpan.FromSeconds(5)), CancellationToken.None);

        Assert.That(response!.Code, Is.EqualTo(RadiusCode.AccessChallenge));
        Assert.That(_mail.Sent, Is.EqualTo(1));
    }

    private static RadiusRequestContext PinStep(DateTimeOffset answerBy)
    {
        var datagram = RawRadiusClient.AccessRequest(1, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234");
        Assert.That(RadiusPacketReader.TryRead(datagram, 200, out var packet), Is.EqualTo(RadiusDropReason.None));
        var client = new RuntimeClient(new ClientSettings(
            "vpn", IPNetwork.Parse("127.0.0.1/32"), s_secret, BlastRadiusPolicy.Yes, BlastRadiusPolicy.Auto, ChallengeMode.Challenge, "test:1"));
        return new RadiusRequestContext(1, packet!, client, new IPEndPoint(IPAddress.Loopback, 40000), answerBy);
    }

    private sealed class OneRoute : IEmailRouteSelector
    {
        public EmailRoute Select(string user, string realm, IPAddress? client) => new(["outbox"]);
    }

    private sealed class RecordingMailSender : IOtpMailSender
    {
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        public Task<MailDeliveryResult> SendAsync(OtpMailRequest request, EmailRoute route, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            return Task.FromResult(new MailDeliveryResult(true, "outbox", "<1@test>", "250 OK", null, TimeSpan.Zero));
        }
    }
}
