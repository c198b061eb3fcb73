using Dapper;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

/// <summary>
/// The store's single writer commits everything pending in one transaction (issue 11); each caller still learns its own
/// outcome, and only once its write is durable. A stalled commit (the hook runs on the writer thread just before COMMIT)
/// lets a test line several writes up in one batch and look at the database while the batch is not yet committed.
/// </summary>
public sealed class GroupCommitTests : StoreTestBase
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Two_concurrent_answers_to_one_challenge_in_one_batch_have_one_winner()
    {
        using var storage = await OpenAsync();
        var token = await AddUserTokenAsync(storage);
        var challenge = (await storage.Store.TryCreateChallengeAsync(Challenge(token, "s1", token.Counter), ChallengeGuard.None, CancellationToken.None))!;
        var writer = storage.SqliteStore.WriterForTests;

        using var stall = new Stall(writer);
        var blocker = HoldABatchAsync(storage, stall);
        var batchesBefore = writer.BatchCount;
        var first = storage.Store.TryAnswerChallengeAsync(challenge, Time.GetUtcNow(), CancellationToken.None);
        var second = storage.Store.TryAnswerChallengeAsync(challenge, Time.GetUtcNow(), CancellationToken.None);
        stall.Release();
        var results = await Task.WhenAll(first, second).WaitAsync(s_wait);
        await blocker;

        Assert.That(results.Count(won => won), Is.EqualTo(1), "exactly one answer wins");
        Assert.That(writer.BatchCount - batchesBefore, Is.EqualTo(2), "the stalled batch, then one batch holding both answers");
        Assert.That((await storage.Store.GetChallengesByStateAsync("s1", CancellationToken.None)).Single().Status, Is.EqualTo(ChallengeStatus.Answered));
    }

    [Test]
    public async Task A_write_is_neither_reported_nor_visible_before_its_batch_commits()
    {
        using var storage = await OpenAsync();
        var token = await AddUserTokenAsync(storage);
        using var stall = new Stall(storage.SqliteStore.WriterForTests);

        var created = storage.Store.TryCreateChallengeAsync(Challenge(token, "s1", token.Counter), ChallengeGuard.None, CancellationToken.None);
        stall.WaitUntilStalled();

        Assert.That(created.IsCompleted, Is.False, "the caller waits for the commit");
        Assert.That(await CounterOnDiskAsync(storage, token.Serial), Is.EqualTo(token.Counter), "another connection sees nothing yet");
        var read = storage.Store.ListTokensAsync(token.User, token.Realm, CancellationToken.None);
        Assert.That(await read.WaitAsync(s_wait), Has.Count.EqualTo(1), "reads do not wait for the writer");

        stall.Release();
        Assert.That(await created.WaitAsync(s_wait), Is.Not.Null);
        Assert.That(await CounterOnDiskAsync(storage, token.Serial), Is.EqualTo(token.Counter + 1), "durable once reported");
    }

    [Test]
    public async Task A_failed_commit_fails_every_write_of_the_batch_and_keeps_none()
    {
        using var storage = await OpenAsync();
        var token = await AddUserTokenAsync(storage);
        var challenge = (await storage.Store.TryCreateChallengeAsync(Challenge(token, "s1", token.Counter), ChallengeGuard.None, CancellationToken.None))!;
        var writer = storage.SqliteStore.WriterForTests;
        using var stall = new Stall(writer);
        var blocker = HoldABatchAsync(storage, stall);

        var answer = storage.Store.TryAnswerChallengeAsync(challenge, Time.GetUtcNow(), CancellationToken.None);
        var failcount = storage.Store.IncrementFailCountAsync([token.Serial], CancellationToken.None);
        stall.Release(thenFailNextCommit: true);
        await blocker.WaitAsync(s_wait);

        Assert.That(async () => await answer.WaitAsync(s_wait), Throws.TypeOf<StorageException>());
        Assert.That(async () => await failcount.WaitAsync(s_wait), Throws.TypeOf<StorageException>());
        var stored = (await storage.Store.GetChallengesByStateAsync("s1", CancellationToken.None)).Single();
        Assert.That(stored.Status, Is.EqualTo(ChallengeStatus.Open), "the answer was rolled back");
        Assert.That((await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.FailCount, Is.Zero);

        Assert.That(await storage.Store.TryAnswerChallengeAsync(challenge, Time.GetUtcNow(), CancellationToken.None), Is.True, "the next batch works");
    }

    [Test]
    public async Task A_write_that_fails_alone_leaves_the_rest_of_its_batch_committed()
    {
        using var storage = await OpenAsync();
        var token = await AddUserTokenAsync(storage);
        var writer = storage.SqliteStore.WriterForTests;
        using var stall = new Stall(writer);
        var blocker = HoldABatchAsync(storage, stall);

        var broken = writer.WriteAsync(c => c.Execute("UPDATE tokens SET failcount = 1; INSERT INTO no_such_table VALUES (1);"));
        var good = storage.Store.IncrementFailCountAsync([token.Serial], CancellationToken.None);
        stall.Release();
        await blocker.WaitAsync(s_wait);

        Assert.That(async () => await broken.WaitAsync(s_wait), Throws.TypeOf<SqliteException>());
        await good.WaitAsync(s_wait);
        Assert.That((await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.FailCount, Is.EqualTo(1), "the good write only, once");
    }

    [Test]
    public async Task Many_concurrent_writes_share_batches_and_each_gets_its_own_counter()
    {
        using var storage = await OpenAsync();
        var tokens = new List<EmailToken>();
        for (var i = 0; i < 50; i++)
        {
            tokens.Add(await AddUserTokenAsync(storage, "user" + i));
        }

        var writer = storage.SqliteStore.WriterForTests;
        var before = writer.BatchCount;
        var created = await Task.WhenAll(tokens.Select(t => Task.Run(() => storage.Store.TryCreateChallengeAsync(Challenge(t, "s-" + t.User, t.Counter), ChallengeGuard.None, CancellationToken.None))));

        Assert.That(created, Has.All.Not.Null);
        Assert.That(created.Select(c => c!.Id).Distinct().Count(), Is.EqualTo(tokens.Count));
        Assert.That(writer.BatchCount - before, Is.LessThanOrEqualTo(tokens.Count));
        foreach (var token in tokens)
        {
            Assert.That(await CounterOnDiskAsync(storage, token.Serial), Is.EqualTo(token.Counter + 1));
        }
    }

    // A write that matches no row (the decoy serial) fills the first batch, which the stall holds before its commit:
    // everything queued meanwhile lands together in the next batch.
    [Test]
    public async Task A_change_whose_commit_fails_leaves_no_record_either()
    {
        using var storage = await OpenAsync();
        var token = await AddUserTokenAsync(storage);
        storage.SqliteStore.WriterForTests.BeforeCommitForTests = () => throw new IOException("disk gone");

        Assert.ThrowsAsync<StorageException>(() => storage.Store.WithAudit(new AuditEntry(Time.GetUtcNow(), "bob", "root", "token disable", null, "")).SetActiveAsync(token.Serial, false, CancellationToken.None));

        storage.SqliteStore.WriterForTests.BeforeCommitForTests = null;
        Assert.That(await storage.Store.ListAuditAsync(null, 10, CancellationToken.None), Is.Empty);
        Assert.That((await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.Active, Is.True);
    }

    private static Task HoldABatchAsync(OtpStorage storage, Stall stall)
    {
        var blocker = storage.Store.IncrementFailCountAsync(["no token"], CancellationToken.None);
        stall.WaitUntilStalled();
        return blocker;
    }

    private static async Task<long> CounterOnDiskAsync(OtpStorage storage, string serial)
    {
        await using var connection = new SqliteConnection($"Data Source={storage.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT counter FROM tokens WHERE serial = @serial;", new { serial });
    }

    /// <summary>Holds the writer's next batch just before its commit until released; optionally breaks the commit after.</summary>
    private sealed class Stall : IDisposable
    {
        private readonly GroupCommitWriter _writer;
        private readonly ManualResetEventSlim _stalled = new();
        private readonly ManualResetEventSlim _release = new();
        private int _batches;
        private bool _failNext;

        public Stall(GroupCommitWriter writer)
        {
            _writer = writer;
            writer.BeforeCommitForTests = OnBeforeCommit;
        }

        public void WaitUntilStalled() => Assert.That(_stalled.Wait(s_wait), Is.True, "the writer reached the stall");

        public void Release(bool thenFailNextCommit = false)
        {
            _failNext = thenFailNextCommit;
            _release.Set();
        }

        public void Dispose()
        {
            _release.Set();
            _writer.BeforeCommitForTests = null;
            _stalled.Dispose();
            _release.Dispose();
        }

        private void OnBeforeCommit()
        {
            if (Interlocked.Increment(ref _batches) == 1)
            {
                _stalled.Set();
                _release.Wait(s_wait);
                return;
            }

            if (_failNext)
            {
                _failNext = false;
                throw new IOException("disk I/O error (simulated)");
            }
        }
    }
}
