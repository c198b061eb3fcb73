using NUnit.Framework;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

/// <summary><see cref="Otp.Storage.IOtpStore.CountAsync"/>: the gauges otp_open_challenges and otp_locked_tokens.</summary>
[TestFixture(StoreEngine.Sqlite)]
[TestFixture(StoreEngine.Postgres)]
public sealed class OtpStoreCountTests(StoreEngine engine) : StoreTestBase(engine)
{
    [Test]
    public async Task Counts_open_unexpired_challenges_and_locked_tokens()
    {
        using var storage = await OpenStoreAsync();
        var store = storage.Store;
        var alice = Token(storage, "alice", maxFail: 2);
        var bob = Token(storage, "bob", maxFail: 2);
        Assert.That(await store.AddTokenAsync(alice, CancellationToken.None), Is.True);
        Assert.That(await store.AddTokenAsync(bob, CancellationToken.None), Is.True);
        Assert.That(await store.CountAsync(Time.GetUtcNow(), CancellationToken.None), Is.EqualTo(new Otp.Storage.StoreCounts(0, 0)));

        Assert.That(await store.TryCreateChallengeAsync(Challenge(alice, "s1", 0), ChallengeGuard.None, CancellationToken.None), Is.Not.Null);
        Assert.That(await store.TryCreateChallengeAsync(Challenge(bob, "s2", 0), ChallengeGuard.None, CancellationToken.None), Is.Not.Null);
        await store.IncrementFailCountAsync([bob.Serial], CancellationToken.None);
        await store.IncrementFailCountAsync([bob.Serial], CancellationToken.None);

        Assert.That(await store.CountAsync(Time.GetUtcNow(), CancellationToken.None), Is.EqualTo(new Otp.Storage.StoreCounts(2, 1)));
        // Five minutes later both challenges have expired, though the cleanup has not marked them yet.
        Assert.That((await store.CountAsync(Time.GetUtcNow().AddMinutes(6), CancellationToken.None)).OpenChallenges, Is.Zero);
    }

    private EmailToken Token(StoreUnderTest storage, string user, int maxFail) =>
        TokenFactory.Create(storage.Protector, CryptoRandomSource.Instance, user, "example.com", user + "@example.com", "1234", OtpHashAlgorithm.Sha1, 6, maxFail, "", Time.GetUtcNow());
}
