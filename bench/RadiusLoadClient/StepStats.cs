using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace RadiusLoadClient;

/// <summary>Counts outcomes and keeps every answered request's latency for exact percentiles; safe to call from any thread.</summary>
internal sealed class StepStats
{
    private readonly long[] _latencies;
    private readonly long[] _counts = new long[5];
    private int _answered;
    private long _maNotFirst;

    public StepStats(int capacity)
    {
        _latencies = new long[capacity];
    }

    public long Sent => _counts.Sum();

    public long Count(ReplyOutcome outcome) => Interlocked.Read(ref _counts[(int)outcome]);

    public int Answered => Volatile.Read(ref _answered);

    /// <summary>Replies whose first attribute was not Message-Authenticator (ours must put it first; FreeRADIUS 3.2.1 need not).</summary>
    public long MessageAuthenticatorNotFirst => Interlocked.Read(ref _maNotFirst);

    public void Add(RequestResult result)
    {
        Interlocked.Increment(ref _counts[(int)result.Outcome]);
        if (result.Outcome == ReplyOutcome.Unanswered)
        {
            return;
        }

        if (!result.MessageAuthenticatorFirst)
        {
            Interlocked.Increment(ref _maNotFirst);
        }

        var index = Interlocked.Increment(ref _answered) - 1;
        if (index < _latencies.Length)
        {
            _latencies[index] = result.LatencyTicks;
        }
    }

    /// <summary>The latencies (ms) below which the given fractions of answered requests lie (nearest rank); NaN when none was answered.</summary>
    public double[] PercentilesMs(params double[] fractions)
    {
        var sorted = Sorted();
        var result = new double[fractions.Length];
        for (var i = 0; i < fractions.Length; i++)
        {
            if (sorted.Length == 0)
            {
                result[i] = double.NaN;
                continue;
            }

            var rank = (int)Math.Ceiling(fractions[i] * sorted.Length) - 1;
            result[i] = sorted[Math.Clamp(rank, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
        }

        return result;
    }

    public string Describe()
    {
        var parts = new StringBuilder();
        parts.Append(CultureInfo.InvariantCulture, $"{Count(ReplyOutcome.Accept)} accepts, {Count(ReplyOutcome.Challenge)} challenges, ");
        parts.Append(CultureInfo.InvariantCulture, $"{Count(ReplyOutcome.Reject)} rejects, ");
        if (Count(ReplyOutcome.Other) > 0)
        {
            parts.Append(CultureInfo.InvariantCulture, $"{Count(ReplyOutcome.Other)} other, ");
        }

        parts.Append(CultureInfo.InvariantCulture, $"{Count(ReplyOutcome.Unanswered)} unanswered");
        return parts.ToString();
    }

    public static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private long[] Sorted()
    {
        var count = Math.Min(Answered, _latencies.Length);
        var copy = _latencies.AsSpan(0, count).ToArray();
        Array.Sort(copy);
        return copy;
    }
}
