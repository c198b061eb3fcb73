using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using RadiusEmailOtp.Hosting;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Server;

/// <summary>
/// serve's store upkeep: a store not reachable at start is opened in the background (retried, one warning a minute); the
/// cleanup runs once a minute with the 7-day retention, logs its count at Debug, and a failing cleanup is logged, not fatal.
/// </summary>
[TestFixture]
public sealed class StoreMaintenanceTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Cleanup_runs_once_a_minute_and_a_failure_is_logged_not_fatal()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        using var log = new CapturingLoggerProvider();
        var logger = log.CreateLogger("radiusd");
        var store = CleanupStore.Create(out var cleanups);
        cleanups.Results.Enqueue(() => throw new StorageException("database is locked"));
        cleanups.Results.Enqueue(() => 3);
        await using (var maintenance = new StoreMaintenance(store, null, time, logger, new StoreAvailability(logger, time)))
        {
            maintenance.Start();
            await maintenance.Ready.WaitAsync(s_wait);
            time.Advance(TimeSpan.FromSeconds(59));
            await Task.Delay(50);
            Assert.That(cleanups.Calls, Is.Empty, "not before the first minute");

            time.Advance(TimeSpan.FromSeconds(1));
            await WaitUntil(() => log.Text.Contains("store cleanup failed: database is locked", StringComparison.Ordinal));
            time.Advance(StoreMaintenance.CleanupInterval);
            await WaitUntil(() => log.Text.Contains("store cleanup: 3 challenges older than 7 days deleted", StringComparison.Ordinal));
        }

        Assert.That(cleanups.Calls, Has.Count.EqualTo(2));
        Assert.That(cleanups.Calls[1], Is.EqualTo((time.GetUtcNow(), TimeSpan.FromDays(7))));
    }

    [Test]
    public async Task A_store_unreachable_at_start_is_opened_in_the_background_when_it_answers()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        using var log = new CapturingLoggerProvider();
        var logger = log.CreateLogger("radiusd");
        var attempts = 0;
        Task Open(CancellationToken _) =>
            Interlocked.Increment(ref attempts) < 3 ? throw new StoreUnavailableException("the database at db1:5432 cannot be reached") : Task.CompletedTask;

        await using var maintenance = new StoreMaintenance(CleanupStore.Create(out _), Open, time, logger, new StoreAvailability(logger, time));
        maintenance.Start();
        await WaitUntil(() => Volatile.Read(ref attempts) == 1);
        Assert.That(maintenance.Ready.IsCompleted, Is.False);
        for (var i = 0; i < 20 && !maintenance.Ready.IsCompleted; i++)
        {
            time.Advance(StoreMaintenance.OpenRetryInterval);
            await Task.Delay(20);
        }

        await maintenance.Ready.WaitAsync(s_wait);
        Assert.That(attempts, Is.EqualTo(3));
        Assert.That(log.Lines.Count(l => l.Contains("store unavailable: the database at db1:5432", StringComparison.Ordinal)), Is.EqualTo(1), log.Text);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.That(condition(), Is.True);
    }

    /// <summary>An IOtpStore whose CleanupAsync answers from a queue and records its arguments; every other call fails the test.</summary>
    public class CleanupStore : DispatchProxy
    {
        public System.Collections.Concurrent.ConcurrentQueue<Func<int>> Results { get; } = new();

        public List<(DateTimeOffset Now, TimeSpan Retention)> Calls { get; } = [];

        public static IOtpStore Create(out CleanupStore proxy)
        {
            var store = Create<IOtpStore, CleanupStore>();
            proxy = (CleanupStore)(object)store;
            return store;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != nameof(IOtpStore.CleanupAsync))
            {
                throw new AssertionException($"unexpected store call {targetMethod?.Name}");
            }

            lock (Calls)
            {
                Calls.Add(((DateTimeOffset)args![0]!, (TimeSpan)args[1]!));
            }

            try
            {
                return Task.FromResult(Results.TryDequeue(out var next) ? next() : 0);
            }
            catch (Exception ex)
            {
                return Task.FromException<int>(ex);
            }
        }
    }
}
