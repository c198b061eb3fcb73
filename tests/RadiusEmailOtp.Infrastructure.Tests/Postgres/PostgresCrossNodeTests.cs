using Dapper;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Storage.Postgres;
using RadiusEmailOtp.Infrastructure.Tests.Storage;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Tests.Postgres;

/// <summary>
/// Two nodes on one PostgreSQL database: two <see cref="PostgresOtpStore"/>s on two data sources with different node
/// names, racing on the same rows. Each decision has exactly one winner, and no update is lost.
/// </summary>
public sealed class PostgresCrossNodeTests() : StoreTestBase(StoreEngine.Postgres)
{
    private StoreUnderTest _a = null!;
    private StoreUnderTest _b = null!;

    [SetUp]
    public async Task OpenTwoNodesAsync()
    {
        _a = await OpenStoreAsync("radius-a", maxPoolSize: 30);
        _b = await OpenStoreAsync("radius-b", maxPoolSize: 30);
    }

    [Test]
    public async Task Four_hundred_challenge_creations_by_concurrent_requests_on_two_nodes_get_distinct_counters_and_lose_no_update()
    {
        var token = await AddUserTokenAsync(_a);

        // 8 concurrent workers, 4 on each node, 50 challenges each; a worker that loses the counter race re-reads it.
        async Task<List<long>> CreateAsync(IOtpStore store, int worker)
        {
            var counters = new List<long>();
            for (var attempt = 0; attempt < 100_000 && counters.Count < 50; attempt++)
            {
                var current = (await store.GetTokenAsync(token.Serial, CancellationToken.None))!;
                var created = await store.TryCreateChallengeAsync(
                    Challenge(current, $"w{worker}-{counters.Count}", current.Counter), ChallengeGuard.None, CancellationToken.None);
                if (created is not null)
                {
                    counters.Add(created.Counter);
                }
            }

            return counters;
        }

        var counters = (await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => CreateAsync(i % 2 == 0 ? _a.Store : _b.Store, i)))))
            .SelectMany(c => c).ToList();

        Assert.That(counters, Has.Count.EqualTo(400));
        Assert.That(counters.Order(), Is.EqualTo(Enumerable.Range(0, 400).Select(i => (long)i)), "distinct, and none skipped");
        Assert.That((await _b.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.Counter, Is.EqualTo(400));
        Assert.That(await _a.Store.ListChallengesAsync(null, CancellationToken.None), Has.Count.EqualTo(400));
    }

    [Test]
    public async Task Twenty_concurrent_answers_to_one_challenge_on_two_nodes_have_one_winner()
    {
        var token = await AddUserTokenAsync(_a);
        var challenge = (await _a.Store.TryCreateChallengeAsync(Challenge(token, "s", 0), ChallengeGuard.None, CancellationToken.None))!;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            (i % 2 == 0 ? _a.Store : _b.Store).TryAnswerChallengeAsync(challenge, Time.GetUtcNow(), CancellationToken.None))));

        Assert.That(results.Count(r => r), Is.EqualTo(1));
        Assert.That((await _b.Store.GetChallengesByStateAsync("s", CancellationToken.None)).Single().Status, Is.EqualTo(ChallengeStatus.Answered));
    }

    [Test]
    public async Task Concurrent_failures_on_two_nodes_are_all_counted_and_attempts_stop_at_the_limit()
    {
        var alice = await AddUserTokenAsync(_a, "alice", maxFail: 1000);
        var second = await AddUserTokenAsync(_a, "alice", maxFail: 1000);
        var challenge = (await _a.Store.TryCreateChallengeAsync(Challenge(alice, "s", 0), ChallengeGuard.None, CancellationToken.None))!;
        // Both tokens of the user in both orders: their rows are locked in one order, so no deadlock (40P01) either.
        string[] forward = [alice.Serial, second.Serial];
        string[] backward = [second.Serial, alice.Serial];

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => (i % 4) switch
        {
            0 => _a.Store.IncrementFailCountAsync(forward, CancellationToken.None),
            1 => _b.Store.IncrementFailCountAsync(backward, CancellationToken.None),
            2 => _a.Store.RecordWrongAnswerAsync([challenge.Id], forward, 5, CancellationToken.None),
            _ => _b.Store.RecordWrongAnswerAsync([challenge.Id], backward, 5, CancellationToken.None),
        })));

        Assert.That((await _a.Store.GetTokenAsync(alice.Serial, CancellationToken.None))!.FailCount, Is.EqualTo(100));
        Assert.That((await _b.Store.GetTokenAsync(second.Serial, CancellationToken.None))!.FailCount, Is.EqualTo(100));
        var stored = (await _a.Store.GetChallengesByStateAsync("s", CancellationToken.None)).Single();
        Assert.That(stored.Attempts, Is.EqualTo(5), "attempts count only while the challenge is open");
        Assert.That(stored.Status, Is.EqualTo(ChallengeStatus.Closed));
    }

    [Test]
    public async Task A_correct_answer_racing_wrong_answers_on_a_two_token_state_wins_once_without_a_deadlock()
    {
        var first = await AddUserTokenAsync(_a, "alice");
        var second = await AddUserTokenAsync(_a, "alice");
        for (var round = 0; round < 5; round++)
        {
            var state = $"s{round}";
            var one = (await _a.Store.TryCreateChallengeAsync(Challenge(first, state, round), ChallengeGuard.None, CancellationToken.None))!;
            var two = (await _a.Store.TryCreateChallengeAsync(Challenge(second, state, round), ChallengeGuard.None, CancellationToken.None))!;

            // The correct answer (second token's code) closes the State's other row; the wrong ones lock both rows.
            var tasks = Enumerable.Range(0, 11).Select(i => Task.Run(async () =>
            {
                var store = i % 2 == 0 ? _a.Store : _b.Store;
                if (i == 5)
                {
                    return await store.TryAnswerChallengeAsync(two, Time.GetUtcNow(), CancellationToken.None);
                }

                await store.RecordWrongAnswerAsync([one.Id, two.Id], i % 3 == 0 ? [first.Serial, second.Serial] : [second.Serial, first.Serial], 100, CancellationToken.None);
                return false;
            }));

            var results = await Task.WhenAll(tasks);

            Assert.That(results.Count(r => r), Is.EqualTo(1), $"round {round}");
            var rows = await _b.Store.GetChallengesByStateAsync(state, CancellationToken.None);
            Assert.That(rows.Select(r => r.Status), Is.EquivalentTo(new[] { ChallengeStatus.Closed, ChallengeStatus.Answered }));
        }
    }

    [Test]
    public async Task Of_many_concurrent_creations_inside_the_blocking_window_on_two_nodes_one_mails()
    {
        var token = await AddUserTokenAsync(_a);
        var guard = new ChallengeGuard(Time.GetUtcNow().AddMinutes(-2), null, Time.GetUtcNow().AddMinutes(-10), 100);

        // Each request retries with the counter it re-reads, as the engine does after losing the counter race: only the
        // guard stops the second mail.
        async Task<bool> RequestAsync(IOtpStore store, int worker)
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var current = (await store.GetTokenAsync(token.Serial, CancellationToken.None))!;
                if (await store.TryCreateChallengeAsync(Challenge(current, $"w{worker}", current.Counter), guard, CancellationToken.None) is not null)
                {
                    return true;
                }
            }

            return false;
        }

        var won = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => RequestAsync(i % 2 == 0 ? _a.Store : _b.Store, i))));

        Assert.That(won.Count(w => w), Is.EqualTo(1));
        Assert.That(await _a.Store.ListChallengesAsync(null, CancellationToken.None), Has.Count.EqualTo(1));
        Assert.That((await _a.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.Counter, Is.EqualTo(1));
    }

    [Test]
    public async Task The_mail_limit_holds_across_two_nodes_under_concurrent_requests()
    {
        var token = await AddUserTokenAsync(_a);
        // No blocking window (blocking_timeout 0), at most 3 mails in the window.
        var guard = new ChallengeGuard(Time.GetUtcNow(), null, Time.GetUtcNow().AddMinutes(-10), 3);

        async Task<int> RequestAsync(IOtpStore store, int worker)
        {
            var made = 0;
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var current = (await store.GetTokenAsync(token.Serial, CancellationToken.None))!;
                if (await store.TryCreateChallengeAsync(Challenge(current, $"w{worker}-{attempt}", current.Counter), guard, CancellationToken.None) is not null)
                {
                    made++;
                }
            }

            return made;
        }

        var made = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => RequestAsync(i % 2 == 0 ? _a.Store : _b.Store, i))));

        Assert.That(made.Sum(), Is.EqualTo(3));
        Assert.That(await _b.Store.ListChallengesAsync(null, CancellationToken.None), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_restarting_node_marks_only_its_own_pending_deliveries_interrupted()
    {
        var token = await AddUserTokenAsync(_a);
        var ofA = (await _a.Store.TryCreateChallengeAsync(Challenge(token, "a", 0), ChallengeGuard.None, CancellationToken.None))!;
        var ofB = (await _b.Store.TryCreateChallengeAsync(Challenge(token, "b", 1), ChallengeGuard.None, CancellationToken.None))!;
        var sentByA = (await _a.Store.TryCreateChallengeAsync(Challenge(token, "a2", 2), ChallengeGuard.None, CancellationToken.None))!;
        await _a.Store.RecordDeliveryAsync(sentByA.Id, DeliveryStatus.Accepted, "smtp", "id", null, TimeSpan.FromMilliseconds(5), CancellationToken.None);

        Assert.That(await _a.Store.MarkInterruptedDeliveriesAsync(CancellationToken.None), Is.EqualTo(1));

        var all = (await _b.Store.ListChallengesAsync(null, CancellationToken.None)).ToDictionary(c => c.Id);
        Assert.That(all[ofA.Id].Delivery, Is.EqualTo(DeliveryStatus.Interrupted));
        Assert.That(all[ofB.Id].Delivery, Is.EqualTo(DeliveryStatus.Pending), "node b's mail may be under way");
        Assert.That(all[sentByA.Id].Delivery, Is.EqualTo(DeliveryStatus.Accepted));
        await using var connection = await DataSource().OpenConnectionAsync();
        Assert.That(await connection.QueryAsync<string>("SELECT node FROM challenges ORDER BY id;"), Is.EqualTo(new[] { "radius-a", "radius-b", "radius-a" }));
    }

    [Test]
    public async Task The_cleanup_runs_on_one_node_at_a_time()
    {
        var token = await AddUserTokenAsync(_a);
        await _a.Store.TryCreateChallengeAsync(Challenge(token, "s", 0), ChallengeGuard.None, CancellationToken.None);
        var later = Time.GetUtcNow().AddHours(3);

        // Another node is cleaning up: it holds the cleanup lock for its transaction.
        await using (var other = await DataSource().OpenConnectionAsync())
        await using (var transaction = await other.BeginTransactionAsync())
        {
            Assert.That(await other.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_xact_lock(@key);", new { key = PostgresMigrations.CleanupLock }, transaction), Is.True);

            Assert.That(await _b.Store.CleanupAsync(later, TimeSpan.FromHours(1), CancellationToken.None), Is.Zero);
            Assert.That((await _b.Store.ListChallengesAsync(null, CancellationToken.None)).Single().Status, Is.EqualTo(ChallengeStatus.Open), "nothing done");
        }

        Assert.That(await _b.Store.CleanupAsync(later, TimeSpan.FromHours(1), CancellationToken.None), Is.EqualTo(1));
        Assert.That(await _a.Store.ListChallengesAsync(null, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task A_stale_lock_seen_by_many_requests_on_two_nodes_is_cleared_once()
    {
        var token = await AddUserTokenAsync(_a, maxFail: 2);
        await _a.Store.IncrementFailCountAsync([token.Serial], CancellationToken.None);
        await _b.Store.IncrementFailCountAsync([token.Serial], CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(20));

        var cleared = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            (i % 2 == 0 ? _a.Store : _b.Store).TryClearStaleLockAsync(token.Serial, Time.GetUtcNow().AddMinutes(-10), CancellationToken.None))));

        Assert.That(cleared.Count(c => c), Is.EqualTo(1));
        Assert.That((await _a.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.FailCount, Is.Zero);
    }

    [Test]
    public async Task Twenty_concurrent_auto_enrolments_on_two_nodes_store_one_token()
    {
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? _a : _b).Store.AddTokenAsync(
            TokenFactory.Create(_a.Protector, CryptoRandomSource.Instance, "dave", "example.com", "", "", OtpHashAlgorithm.Sha1, 6, 10, "", Time.GetUtcNow())
                with { Resolver = "corp", AutoEnrolled = true },
            CancellationToken.None)));

        var added = await Task.WhenAll(attempts);

        Assert.That(added.Count(a => a), Is.EqualTo(1));
        Assert.That(await _b.Store.ListTokensAsync("dave", "example.com", CancellationToken.None), Has.Count.EqualTo(1));
    }
}
