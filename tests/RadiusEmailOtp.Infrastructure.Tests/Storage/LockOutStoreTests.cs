using NUnit.Framework;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

/// <summary>The store half of issue 7's rules: stale locks, the mail count, answered challenges, unknown deliveries.</summary>
[TestFixture(StoreEngine.Sqlite)]
[TestFixture(StoreEngine.Postgres)]
public sealed class LockOutStoreTests(StoreEngine engine) : StoreTestBase(engine)
{
    [Test]
    public async Task A_stale_lock_is_cleared_once_and_a_fresh_one_is_not()
    {
        using var storage = await OpenStoreAsync();
        var token = await AddUserTokenAsync(storage, maxFail: 2);
        await storage.Store.IncrementFailCountAsync([token.Serial], CancellationToken.None);
        await storage.Store.IncrementFailCountAsync([token.Serial], CancellationToken.None);
        var failedAt = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromMinutes(10));

        var tooEarly = await storage.Store.TryClearStaleLockAsync(token.Serial, failedAt - TimeSpan.FromSeconds(1), CancellationToken.None);
        var cleared = await storage.Store.TryClearStaleLockAsync(token.Serial, failedAt, CancellationToken.None);
        var again = await storage.Store.TryClearStaleLockAsync(token.Serial, failedAt, CancellationToken.None);

        Assert.That(tooEarly, Is.False, "the last failure is newer than the cutoff");
        Assert.That(cleared, Is.True);
        Assert.That(again, Is.False, "a concurrent caller finds nothing left to clear");
        var stored = await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None);
        Assert.That(stored!.FailCount, Is.Zero);
        Assert.That(stored.LastFailure, Is.Null);
    }

    [Test]
    public async Task A_token_that_is_not_locked_keeps_its_failcount()
    {
        using var storage = await OpenStoreAsync();
        var token = await AddUserTokenAsync(storage, maxFail: 3);
        await storage.Store.IncrementFailCountAsync([token.Serial], CancellationToken.None);
        var failedAt = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromHours(1));

        Assert.That(await storage.Store.TryClearStaleLockAsync(token.Serial, Time.GetUtcNow(), CancellationToken.None), Is.False);
        var stored = await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None);
        Assert.That(stored!.FailCount, Is.EqualTo(1));
        Assert.That(stored.LastFailure, Is.EqualTo(failedAt));
    }

    [Test]
    public async Task Mails_are_counted_per_token_since_a_time_without_the_failed_ones()
    {
        using var storage = await OpenStoreAsync();
        var alice = await AddUserTokenAsync(storage, "alice");
        var bob = await AddUserTokenAsync(storage, "bob");
        var old = await storage.Store.TryCreateChallengeAsync(Challenge(alice, "a0", 0), ChallengeGuard.None, CancellationToken.None);
        var since = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromSeconds(1));
        await storage.Store.TryCreateChallengeAsync(Challenge(alice, "a1", 1), ChallengeGuard.None, CancellationToken.None);
        var failed = await storage.Store.TryCreateChallengeAsync(Challenge(alice, "a2", 2), ChallengeGuard.None, CancellationToken.None);
        await storage.Store.RecordDeliveryAsync(failed!.Id, DeliveryStatus.Failed, "smtp", null, "554", TimeSpan.Zero, CancellationToken.None);
        await storage.Store.TryCreateChallengeAsync(Challenge(bob, "b0", 0), ChallengeGuard.None, CancellationToken.None);

        var counts = await storage.Store.CountMailsSinceAsync([alice.Serial, bob.Serial, "no such"], since, CancellationToken.None);

        Assert.That(old, Is.Not.Null);
        Assert.That(counts, Is.EquivalentTo(new Dictionary<string, int> { [alice.Serial] = 1, [bob.Serial] = 1 }));
    }

    [Test]
    public async Task Answered_challenges_are_found_until_they_expire()
    {
        using var storage = await OpenStoreAsync();
        var token = await AddUserTokenAsync(storage);
        var challenge = await storage.Store.TryCreateChallengeAsync(Challenge(token, "s1", 0), ChallengeGuard.None, CancellationToken.None);
        Assert.That(await storage.Store.TryAnswerChallengeAsync(challenge!, Time.GetUtcNow(), CancellationToken.None), Is.True);

        var now = await storage.Store.GetAnsweredChallengesAsync([token.Serial], Time.GetUtcNow(), CancellationToken.None);
        var later = await storage.Store.GetAnsweredChallengesAsync([token.Serial], Time.GetUtcNow().AddMinutes(6), CancellationToken.None);

        Assert.That(now.Select(c => c.Id), Is.EqualTo(new[] { challenge!.Id }));
        Assert.That(later, Is.Empty);
    }

    [Test]
    public async Task An_unknown_delivery_leaves_the_challenge_open_and_a_failed_one_ends_it()
    {
        using var storage = await OpenStoreAsync();
        var token = await AddUserTokenAsync(storage);
        var unknown = await storage.Store.TryCreateChallengeAsync(Challenge(token, "s1", 0), ChallengeGuard.None, CancellationToken.None);
        var failed = await storage.Store.TryCreateChallengeAsync(Challenge(token, "s2", 1), ChallengeGuard.None, CancellationToken.None);

        await storage.Store.RecordDeliveryAsync(unknown!.Id, DeliveryStatus.Unknown, "smtp", "<1@x>", "no reply", TimeSpan.Zero, CancellationToken.None);
        await storage.Store.RecordDeliveryAsync(failed!.Id, DeliveryStatus.Failed, "smtp", "<2@x>", "554", TimeSpan.Zero, CancellationToken.None);

        var listed = (await storage.Store.ListChallengesAsync(null, CancellationToken.None)).ToDictionary(c => c.State);
        Assert.That(listed["s1"].Delivery, Is.EqualTo(DeliveryStatus.Unknown));
        Assert.That(listed["s1"].Status, Is.EqualTo(ChallengeStatus.Open));
        Assert.That(listed["s2"].Status, Is.EqualTo(ChallengeStatus.Failed));
    }
}
