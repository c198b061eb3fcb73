using NUnit.Framework;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

/// <summary>The port's behaviour, the same on every engine: counters, answers, wrong answers, deliveries, clean-up.</summary>
[TestFixture(StoreEngine.Sqlite)]
[TestFixture(StoreEngine.Postgres)]
public sealed class OtpStoreTests(StoreEngine engine) : StoreTestBase(engine)
{
    [Test]
    public async Task A_lookup_sees_what_another_connection_committed_after_the_previous_lookup()
    {
        // The CLI is another process with its own connections; a second storage on the same files stands in for it.
        var server = await OpenStoreAsync();
        var cli = await OpenStoreAsync();
        Assert.That(await server.Store.ListTokensAsync("alice", "example.com", CancellationToken.None), Is.Empty);

        var token = await AddTokenAsync(cli);
        var seen = await server.Store.ListTokensAsync("alice", "example.com", CancellationToken.None);
        Assert.That(seen.Select(t => t.Serial), Is.EqualTo(new[] { token.Serial }));

        await server.Store.IncrementFailCountAsync([token.Serial], CancellationToken.None);
        Assert.That((await cli.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.FailCount, Is.EqualTo(1), "committed on return");
        Assert.That(await cli.Store.ResetFailCountAsync(token.Serial, CancellationToken.None), Is.True);
        Assert.That((await server.Store.ListTokensAsync("alice", "example.com", CancellationToken.None)).Single().FailCount, Is.EqualTo(0));

        Assert.That(await cli.Store.DeleteTokenAsync(token.Serial, CancellationToken.None), Is.True);
        Assert.That(await server.Store.ListTokensAsync("alice", "example.com", CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Concurrent_counter_advances_from_the_same_value_have_one_winner()
    {
        var storage = await OpenStoreAsync();
        var token = await AddTokenAsync(storage);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            storage.Store.TryCreateChallengeAsync(Challenge(token, $"state{i}", 0), ChallengeGuard.None, CancellationToken.None))));

        Assert.That(results.Count(r => r is not null), Is.EqualTo(1));
        Assert.That((await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.Counter, Is.EqualTo(1));
    }

    [Test]
    public async Task Concurrent_answers_to_one_challenge_have_one_winner()
    {
        var storage = await OpenStoreAsync();
        var token = await AddTokenAsync(storage);
        var challenge = (await storage.Store.TryCreateChallengeAsync(Challenge(token, "s", 0), ChallengeGuard.None, CancellationToken.None))!;

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() =>
            storage.Store.TryAnswerChallengeAsync(challenge, Time.GetUtcNow(), CancellationToken.None))));

        Assert.That(results.Count(r => r), Is.EqualTo(1));
    }

    [Test]
    public async Task Many_parallel_consumers_each_get_a_distinct_counter()
    {
        var storage = await OpenStoreAsync();
        var token = await AddTokenAsync(storage);

        async Task<long> ConsumeAsync(int worker)
        {
            while (true)
            {
                var current = (await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!;
                var created = await storage.Store.TryCreateChallengeAsync(Challenge(current, $"w{worker}", current.Counter), ChallengeGuard.None, CancellationToken.None);
                if (created is not null)
                {
                    return created.Counter;
                }
            }
        }

        var counters = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => ConsumeAsync(i))));

        Assert.That(counters.Distinct().Count(), Is.EqualTo(20));
        Assert.That((await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.Counter, Is.EqualTo(20));
    }

    [Test]
    public async Task An_answer_closes_older_open_challenges_of_the_token_but_not_newer_ones()
    {
        var storage = await OpenStoreAsync();
        var token = await AddTokenAsync(storage);
        var made = new List<OtpChallenge>();
        for (var i = 0; i < 3; i++)
        {
            made.Add((await storage.Store.TryCreateChallengeAsync(Challenge(token, $"s{i}", i), ChallengeGuard.None, CancellationToken.None))!);
        }

        Assert.That(await storage.Store.TryAnswerChallengeAsync(made[1], Time.GetUtcNow(), CancellationToken.None), Is.True);

        var statuses = (await storage.Store.ListChallengesAsync(null, CancellationToken.None)).OrderBy(c => c.Counter).Select(c => c.Status);
        Assert.That(statuses, Is.EqualTo(new[] { ChallengeStatus.Closed, ChallengeStatus.Answered, ChallengeStatus.Open }));
    }

    [Test]
    public async Task An_expired_challenge_cannot_be_answered_and_is_cleaned_up()
    {
        var storage = await OpenStoreAsync();
        var token = await AddTokenAsync(storage);
        var challenge = (await storage.Store.TryCreateChallengeAsync(Challenge(token, "s", 0), ChallengeGuard.None, CancellationToken.None))!;
        var later = Time.GetUtcNow().AddMinutes(10);

        Assert.That(await storage.Store.TryAnswerChallengeAsync(challenge, later, CancellationToken.None), Is.False);
        Assert.That(await storage.Store.CleanupAsync(later, TimeSpan.FromHours(1), CancellationToken.None), Is.EqualTo(0));
        Assert.That((await storage.Store.ListChallengesAsync(null, CancellationToken.None)).Single().Status, Is.EqualTo(ChallengeStatus.Expired));
        Assert.That(await storage.Store.CleanupAsync(later.AddHours(2), TimeSpan.FromHours(1), CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task Wrong_answers_close_a_challenge_at_max_attempts_and_raise_the_failcount()
    {
        var storage = await OpenStoreAsync();
        var token = await AddTokenAsync(storage);
        var challenge = (await storage.Store.TryCreateChallengeAsync(Challenge(token, "s", 0), ChallengeGuard.None, CancellationToken.None))!;

        for (var i = 0; i < 3; i++)
        {
            await storage.Store.RecordWrongAnswerAsync([challenge.Id], [token.Serial], 3, CancellationToken.None);
        }

        var stored = (await storage.Store.ListChallengesAsync(null, CancellationToken.None)).Single();
        Assert.That(stored.Attempts, Is.EqualTo(3));
        Assert.That(stored.Status, Is.EqualTo(ChallengeStatus.Closed));
        Assert.That((await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.FailCount, Is.EqualTo(3));
    }

    [Test]
    public async Task A_disabled_token_gets_no_new_challenge_and_deleting_it_removes_its_challenges()
    {
        var storage = await OpenStoreAsync();
        var token = await AddTokenAsync(storage);
        await storage.Store.TryCreateChallengeAsync(Challenge(token, "s", 0), ChallengeGuard.None, CancellationToken.None);
        await storage.Store.SetActiveAsync(token.Serial, false, CancellationToken.None);

        Assert.That(await storage.Store.TryCreateChallengeAsync(Challenge(token, "t", 1), ChallengeGuard.None, CancellationToken.None), Is.Null);
        Assert.That(await storage.Store.DeleteTokenAsync(token.Serial, CancellationToken.None), Is.True);
        Assert.That(await storage.Store.ListChallengesAsync(null, CancellationToken.None), Is.Empty);
        Assert.That(await storage.Store.DeleteTokenAsync(token.Serial, CancellationToken.None), Is.False);
    }

    [Test]
    public async Task Recorded_delivery_is_read_back_as_accepted_with_provider_message_id_and_duration()
    {
        var storage = await OpenStoreAsync();
        var token = await AddTokenAsync(storage);
        var challenge = await storage.Store.TryCreateChallengeAsync(Challenge(token, "s1", token.Counter), ChallengeGuard.None, CancellationToken.None);

        await storage.Store.RecordDeliveryAsync(challenge!.Id, DeliveryStatus.Accepted, "smtp-a", "abc@example.com", null, TimeSpan.FromMilliseconds(1234), CancellationToken.None);

        var stored = (await storage.Store.ListChallengesAsync(null, CancellationToken.None)).Single();
        Assert.That(stored.Delivery, Is.EqualTo(DeliveryStatus.Accepted));
        Assert.That(stored.Provider, Is.EqualTo("smtp-a"));
        Assert.That(stored.MessageId, Is.EqualTo("abc@example.com"));
        Assert.That(stored.DeliveryDuration, Is.EqualTo(TimeSpan.FromMilliseconds(1234)));
    }

    [Test]
    public async Task Open_challenges_read_the_same_before_and_after_their_delivery_fills_the_empty_columns()
    {
        // The prepared path keeps one row mapper per statement: it must fit rows with NULL columns and rows without.
        var storage = await OpenStoreAsync();
        var token = await AddTokenAsync(storage);
        var challenge = await storage.Store.TryCreateChallengeAsync(Challenge(token, "s1", token.Counter), ChallengeGuard.None, CancellationToken.None);
        var before = (await storage.Store.GetOpenChallengesAsync([token.Serial], Time.GetUtcNow(), CancellationToken.None)).Single();
        Assert.That(before.Provider, Is.Null);
        Assert.That(before.DeliveryDuration, Is.Null);

        await storage.Store.RecordDeliveryAsync(challenge!.Id, DeliveryStatus.Accepted, "smtp-a", "abc@example.com", null, TimeSpan.FromMilliseconds(1234), CancellationToken.None);

        var after = (await storage.Store.GetOpenChallengesAsync([token.Serial], Time.GetUtcNow(), CancellationToken.None)).Single();
        Assert.That(after.Id, Is.EqualTo(before.Id));
        Assert.That(after.Provider, Is.EqualTo("smtp-a"));
        Assert.That(after.DeliveryDuration, Is.EqualTo(TimeSpan.FromMilliseconds(1234)));
    }

    private async Task<EmailToken> AddTokenAsync(StoreUnderTest storage, string pin = "1234")
    {
        var token = TokenFactory.Create(
            storage.Protector, CryptoRandomSource.Instance, "alice", "example.com", "alice@example.com", pin, OtpHashAlgorithm.Sha1, 6, 10, "", Time.GetUtcNow());
        Assert.That(await storage.Store.AddTokenAsync(token, CancellationToken.None), Is.True);
        Assert.That(await storage.Store.AddTokenAsync(token, CancellationToken.None), Is.False, "a serial is unique");
        return token;
    }
}
