using System.Collections.Concurrent;

namespace RadiusEmailOtp.Server;

/// <summary>
/// Lets one log line per key through each interval and counts the rest, so a flood of garbage or an
/// unknown client cannot flood the log (FreeRADIUS rate-limits the same messages).
/// </summary>
internal sealed class LogRateLimiter
{
    private const int MaxKeys = 10_000;
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;

    public LogRateLimiter(TimeProvider time, TimeSpan interval)
    {
        _time = time;
        _interval = interval;
    }

    /// <summary>True when a line for <paramref name="key"/> may be written; <paramref name="suppressed"/> tells how many were held back.</summary>
    public bool ShouldLog(string key, out string suppressed)
    {
        var now = _time.GetTimestamp();
        if (_slots.Count > MaxKeys)
        {
            _slots.Clear();
        }

        var slot = _slots.GetOrAdd(key, static _ => new Slot());
        lock (slot)
        {
            if (!slot.HasLogged || _time.GetElapsedTime(slot.LastLogged, now) >= _interval)
            {
                suppressed = slot.Suppressed == 0 ? string.Empty : $" ({slot.Suppressed} similar messages suppressed)";
                slot.LastLogged = now;
                slot.HasLogged = true;
                slot.Suppressed = 0;
                return true;
            }

            slot.Suppressed++;
            suppressed = string.Empty;
            return false;
        }
    }

    private sealed class Slot
    {
        public bool HasLogged { get; set; }

        public long LastLogged { get; set; }

        public long Suppressed { get; set; }
    }
}
