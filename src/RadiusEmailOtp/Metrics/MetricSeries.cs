namespace RadiusEmailOtp.Metrics;

/// <summary>
/// The aggregate of one instrument for one set of label values: a running sum (counters), the last value (gauges), or
/// bucket counts, sum and count (histograms). Measurements arrive on any thread.
/// </summary>
internal sealed class MetricSeries(IReadOnlyList<double>? bounds)
{
    private readonly Lock _lock = new();
    private readonly long[]? _buckets = bounds is null ? null : new long[bounds.Count + 1];
    private double _value;
    private long _count;

    public void Add(double value)
    {
        lock (_lock)
        {
            _value += value;
        }
    }

    public void Set(double value)
    {
        lock (_lock)
        {
            _value = value;
        }
    }

    public void Observe(double value)
    {
        lock (_lock)
        {
            var i = 0;
            while (i < bounds!.Count && value > bounds[i])
            {
                i++;
            }

            _buckets![i]++;
            _value += value;
            _count++;
        }
    }

    /// <summary>The value (counters, gauges) or the sum (histograms).</summary>
    public double Value
    {
        get
        {
            lock (_lock)
            {
                return _value;
            }
        }
    }

    /// <summary>Cumulative bucket counts, one per bound and a last one for +Inf, with the count of observations.</summary>
    public (long[] Cumulative, double Sum, long Count) Histogram()
    {
        lock (_lock)
        {
            var cumulative = new long[_buckets!.Length];
            long running = 0;
            for (var i = 0; i < _buckets.Length; i++)
            {
                running += _buckets[i];
                cumulative[i] = running;
            }

            return (cumulative, _value, _count);
        }
    }
}
