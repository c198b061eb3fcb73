using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>A real SQLite store in a temp directory per test, a fake clock and a recording mail sender.</summary>
public abstract class EngineTestBase
{
    protected static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected string Dir { get; private set; } = string.Empty;

    protected FakeTimeProvider Time { get; private set; } = null!;

    protected OtpStorage Storage { get; private set; } = null!;

    protected IOtpStore Store => Storage.Store;

    protected FakeMailSender Mail { get; private set; } = null!;

    protected FixedRouteSelector Routes { get; private set; } = null!;

    protected EmailTokenSettings Settings { get; private set; } = EmailTokenSettings.Default;

    protected OtpEngine Engine { get; private set; } = null!;

    protected string LastOtp => Mail.Requests[^1].Otp;

    [SetUp]
    public async Task SetUpEngineAsync()
    {
        Dir = Path.Combine(Path.GetTempPath(), "reo-engine-" + Guid.NewGuid().ToString("N"));
        Time = new FakeTimeProvider(Start);
        Storage = await OtpStorage.OpenAsync(Dir, Time, CancellationToken.None);
        Mail = new FakeMailSender();
        Routes = new FixedRouteSelector(new EmailRoute(["outbox"]));
        UseSettings(EmailTokenSettings.Default);
    }

    [TearDown]
    public async Task TearDownEngineAsync()
    {
        await Engine.DrainAsync(CancellationToken.None);
        SqliteConnection.ClearAllPools();
        Directory.Delete(Dir, recursive: true);
    }

    protected void UseSettings(EmailTokenSettings settings)
    {
        Settings = settings;
        Engine = new OtpEngine(Storage.Store, Storage.Protector, Mail, Routes, settings, RealmSettings.Defaults, Time);
    }

    /// <summary>Serves the test with an engine built on <see cref="Store"/> by the test itself (another configuration).</summary>
    protected void ReplaceEngine(OtpEngine engine) => Engine = engine;

    protected async Task<EmailToken> EnrollAsync(
        string user = "alice",
        string pin = "1234",
        string email = "alice@example.com",
        string realm = "example.com",
        int otpLength = 6,
        OtpHashAlgorithm hash = OtpHashAlgorithm.Sha1)
    {
        var token = TokenFactory.Create(
            Storage.Protector, CryptoRandomSource.Instance, user, realm, email, pin, hash, otpLength, Settings.MaxFail, string.Empty, Time.GetUtcNow());
        Assert.That(await Store.AddTokenAsync(token, CancellationToken.None), Is.True);
        return token;
    }

    protected Task<AuthenticationResult> AuthAsync(
        string password, byte[]? state = null, string userName = "alice", string client = "vpn1", ChallengeMode mode = ChallengeMode.Challenge) =>
        Engine.AuthenticateAsync(
            new AuthenticationRequest(userName, password, state ?? [], client, IPAddress.Parse("10.1.2.3"), mode), CancellationToken.None);

    protected async Task<EmailToken> TokenAsync(string serial) => (await Store.GetTokenAsync(serial, CancellationToken.None))!;

    protected async Task<IReadOnlyList<OtpChallenge>> ChallengesAsync() => await Store.ListChallengesAsync(null, CancellationToken.None);

    /// <summary>A code that is not the mailed one (the other one of the same length).</summary>
    protected static string WrongOtp(string otp)
    {
        var zeros = new string('0', otp.Length);
        return otp == zeros ? new string('1', otp.Length) : zeros;
    }
}
