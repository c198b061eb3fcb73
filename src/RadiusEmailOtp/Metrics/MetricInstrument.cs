using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace RadiusEmailOtp.Metrics;

/// <summary>One instrument as the Prometheus exposition sees it: name, help, type, and its series by label values.</summary>
internal sealed class MetricInstrument
{
    private static readonly IReadOnlyList<double> s_defaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<string, MetricSeries> _series = new(StringComparer.Ordinal);

    private MetricInstrument(Instrument instrument, string type, bool adds, IReadOnlyList<double>? bounds)
    {
        Name = instrument.Name;
        Help = instrument.Description ?? instrument.Name;
        Type = type;
        Adds = adds;
        Bounds = bounds;
    }

    public string Name { get; }

    public string Help { get; }

    /// <summary>"counter", "gauge" or "histogram".</summary>
    public string Type { get; }

    /// <summary>Measurements are increments (Counter, UpDownCounter); otherwise each is the current value.</summary>
    public bool Adds { get; }

    public IReadOnlyList<double>? Bounds { get; }

    public IEnumerable<KeyValuePair<string, MetricSeries>> Series => _series.OrderBy(s => s.Key, StringComparer.Ordinal);

    /// <summary>The state for an instrument the exporter can write, or null for a kind it does not know.</summary>
    public static MetricInstrument? For(Instrument instrument)
    {
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
        if (definition == typeof(Counter<>))
        {
            return new MetricInstrument(instrument, "counter", adds: true, null);
        }

        if (definition == typeof(ObservableCounter<>))
        {
            return new MetricInstrument(instrument, "counter", adds: false, null);
        }

        if (definition == typeof(UpDownCounter<>))
        {
            return new MetricInstrument(instrument, "gauge", adds: true, null);
        }

        if (definition == typeof(ObservableGauge<>) || definition == typeof(ObservableUpDownCounter<>) || definition == typeof(Gauge<>))
        {
            return new MetricInstrument(instrument, "gauge", adds: false, null);
        }

        if (instrument is Histogram<double> histogram)
        {
            return new MetricInstrument(instrument, "histogram", adds: false, histogram.Advice?.HistogramBucketBoundaries ?? s_defaultBuckets);
        }

        return null;
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = _series.GetOrAdd(Labels(tags), static (_, bounds) => new MetricSeries(bounds), Bounds);
        if (Bounds is not null)
        {
            series.Observe(value);
        }
        else if (Adds)
        {
            series.Add(value);
        }
        else
        {
            series.Set(value);
        }
    }

    /// <summary><c>code="Access-Accept",client="vpn"</c>: the tags in the order given, values escaped (text format 0.0.4).</summary>
    internal static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder(64);
        foreach (var (key, value) in tags)
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(key).Append("=\"");
            foreach (var c in Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)
            {
                switch (c)
                {
                    case '\\':
                        builder.Append(@"\\");
                        break;
                    case '"':
                        builder.Append("\\\"");
                        break;
                    case '\n':
                        builder.Append(@"\n");
                        break;
                    default:
                        builder.Append(c);
                        break;
                }
            }

            builder.Append('"');
        }

        return builder.ToString();
    }
}
