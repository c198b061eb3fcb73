using System.Collections.Concurrent;

namespace RadiusEmailOtp.Infrastructure.Ldap;

/// <summary>Lets one warning per key through per interval and counts the ones it held back, for the next line to say.</summary>
internal sealed class WarningRateLimiter(TimeProvider time, TimeSpan interval)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>True when a line for <paramref name="key"/> may be written; <paramref name="suppressed"/> is how many were held back since the last.</summary>
    public bool TryAcquire(string key, out int suppressed)
    {
        var now = time.GetUtcNow();
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        lock (entry)
        {
            if (entry.Last is { } last && now - last < interval)
            {
                entry.Suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = entry.Suppressed;
            entry.Suppressed = 0;
            entry.Last = now;
            return true;
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset? Last { get; set; }

        public int Suppressed { get; set; }
    }
}
