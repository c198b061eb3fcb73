using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

/// <summary>A fresh data directory per test, a fake clock, and the store's open and challenge helpers.</summary>
public abstract class StoreTestBase
{
    protected string Dir { get; private set; } = string.Empty;

    protected FakeTimeProvider Time { get; private set; } = null!;

    [SetUp]
    public void CreateDataDirectory()
    {
        Dir = Path.Combine(Path.GetTempPath(), "reo-store-" + Guid.NewGuid().ToString("N"));
        Time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    }

    [TearDown]
    public void DeleteDataDirectory()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Dir))
        {
            Directory.Delete(Dir, recursive: true);
        }
    }

    protected Task<OtpStorage> OpenAsync() => OtpStorage.OpenAsync(Dir, Time, CancellationToken.None);

    protected async Task<EmailToken> AddUserTokenAsync(OtpStorage storage, string user = "alice", int maxFail = 10)
    {
        var token = TokenFactory.Create(
            storage.Protector, CryptoRandomSource.Instance, user, "example.com", user + "@example.com", "1234", OtpHashAlgorithm.Sha1, 6, maxFail, "", Time.GetUtcNow());
        Assert.That(await storage.Store.AddTokenAsync(token, CancellationToken.None), Is.True);
        return token;
    }

    protected OtpChallenge Challenge(EmailToken token, string state, long counter) => new(
        0, state, token.Serial, counter, token.User, token.Realm, "vpn1", Time.GetUtcNow(), Time.GetUtcNow().AddMinutes(5),
        ChallengeStatus.Open, 0, DeliveryStatus.Pending, null, null, null);
}
