using System.Collections.Concurrent;

namespace RadiusEmailOtp.Otp.Engine;

/// <summary>
/// Per user and NAS, in memory: after <c>max_fail</c> failures within the window (failcount_clear_timeout), further
/// attempts from that NAS are refused without touching the store until the oldest of those failures leaves the window.
/// A flood of wrong passwords then neither grows the failcount past the lock nor costs a database write per packet.
/// Memory is bounded: past <see cref="MaxEntries"/> keys the stale ones are swept, and if none is stale a new key is not
/// tracked (the store's failcount and lock still apply to it).
/// </summary>
internal sealed class FailureLimiter(int maxFailures, TimeSpan window)
{
    public const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<(string Client, string User), Failures> _entries = new();

    public bool IsLimited(string client, string user, DateTimeOffset now) =>
        _entries.TryGetValue((client, user), out var failures) && failures.IsFull(now - window);

    public void RecordFailure(string client, string user, DateTimeOffset now)
    {
        if (!_entries.TryGetValue((client, user), out var failures))
        {
            if (_entries.Count >= MaxEntries && !SweepStale(now))
            {
                return;
            }

            failures = _entries.GetOrAdd((client, user), _ => new Failures(maxFailures));
        }

        failures.Add(now);
    }

    /// <summary>A success from that NAS ends the count.</summary>
    public void Clear(string client, string user) => _entries.TryRemove((client, user), out _);

    private bool SweepStale(DateTimeOffset now)
    {
        var cutoff = now - window;
        foreach (var (key, failures) in _entries)
        {
            if (failures.IsStale(cutoff))
            {
                _entries.TryRemove(key, out _);
            }
        }

        return _entries.Count < MaxEntries;
    }

    /// <summary>The times of the last <c>max_fail</c> failures, oldest first (a ring).</summary>
    private sealed class Failures(int capacity)
    {
        private readonly DateTimeOffset[] _times = new DateTimeOffset[capacity];
        private int _next;
        private int _count;

        public void Add(DateTimeOffset time)
        {
            lock (_times)
            {
                _times[_next] = time;
                _next = (_next + 1) % _times.Length;
                _count = Math.Min(_count + 1, _times.Length);
            }
        }

        /// <summary>All <c>max_fail</c> slots hold failures newer than <paramref name="cutoff"/>.</summary>
        public bool IsFull(DateTimeOffset cutoff)
        {
            lock (_times)
            {
                // With a full ring, _next is the oldest slot.
                return _count == _times.Length && _times[_next] > cutoff;
            }
        }

        public bool IsStale(DateTimeOffset cutoff)
        {
            lock (_times)
            {
                var newest = _times[(_next + _times.Length - 1) % _times.Length];
                return newest <= cutoff;
            }
        }
    }
}
