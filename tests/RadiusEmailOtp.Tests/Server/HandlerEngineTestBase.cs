using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
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

/// <summary>
/// The handler over a real engine and store with one token (alice, PIN 1234) and a fake clock, for tests of what the
/// server hands the engine: made afresh for every test (NUnit shares one fixture instance between its tests).
/// </summary>
public abstract class HandlerEngineTestBase
{
    private static readonly byte[] s_secret = Encoding.UTF8.GetBytes("testing123");
    private TempDirectory _directory = null!;

    protected FakeTimeProvider Time { get; private set; } = null!;

    protected OtpStorage Storage { get; private set; } = null!;

    [SetUp]
    public async Task CreateStoreWithOneTokenAsync()
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        _directory = new TempDirectory();
        Storage = await OtpStorage.OpenAsync(_directory.Combine("data"), Time, CancellationToken.None);
        var token = TokenFactory.Create(
            Storage.Protector, CryptoRandomSource.Instance, "alice", "example.com", "alice@example.com", "1234", OtpHashAlgorithm.Sha1, 6, 10, string.Empty, Time.GetUtcNow());
        Assert.That(await Storage.Store.AddTokenAsync(token, CancellationToken.None), Is.True);
    }

    [TearDown]
    public void DeleteStore()
    {
        Storage.Dispose();
        _directory.Dispose();
    }

    protected OtpEngine CreateEngine(IOtpMailSender mail, EmailTokenSettings settings) =>
        new(Storage.Store, Storage.Protector, mail, new OneRoute(), settings, RealmSettings.Defaults, Time);

    /// <summary>alice's PIN from client "vpn", to be answered by <paramref name="answerBy"/>.</summary>
    private protected static RadiusRequestContext PinStep(DateTimeOffset answerBy, TimeSpan? clientSendWait = null)
    {
        var datagram = RawRadiusClient.AccessRequest(1, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234");
        Assert.That(RadiusPacketReader.TryRead(datagram, 200, out var packet), Is.EqualTo(RadiusDropReason.None));
        var settings = new ClientSettings(
            "vpn", IPNetwork.Parse("127.0.0.1/32"), s_secret, BlastRadiusPolicy.Yes, BlastRadiusPolicy.Auto, ChallengeMode.Challenge, "test:1")
        {
            SendWait = clientSendWait,
        };
        return new RadiusRequestContext(1, packet!, new RuntimeClient(settings), new IPEndPoint(IPAddress.Loopback, 40000), answerBy);
    }

    private sealed class OneRoute : IEmailRouteSelector
    {
        public EmailRoute Select(string user, string realm, string resolver, IPAddress? client) => new(["outbox"]);
    }
}
