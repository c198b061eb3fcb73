using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace RadiusEmailOtp.Metrics;

/// <summary>
/// Listens to the instruments of one <see cref="Meter"/> and writes their aggregates in the Prometheus text exposition
/// format 0.0.4: <c># HELP</c>, <c># TYPE</c>, one line per series, histograms as cumulative <c>_bucket{le=…}</c>,
/// <c>_sum</c>, <c>_count</c>. Small on purpose: the exporter packages served here are unmaintained or pre-release.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly MeterListener _listener = new();
    private readonly List<MetricInstrument> _instruments = [];
    private readonly Lock _scrape = new();

    public PrometheusExporter(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this server's meter: another server in the same process (tests) has its own exporter.
            if (!ReferenceEquals(instrument.Meter, meter) || MetricInstrument.For(instrument) is not { } state)
            {
                return;
            }

            lock (_instruments)
            {
                _instruments.Add(state);
            }

            listener.EnableMeasurementEvents(instrument, state);
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((MetricInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((MetricInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((MetricInstrument)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments (the gauges) and writes every instrument.</summary>
    public string Scrape()
    {
        lock (_scrape)
        {
            _listener.RecordObservableInstruments();
            MetricInstrument[] instruments;
            lock (_instruments)
            {
                instruments = [.. _instruments];
            }

            var builder = new StringBuilder(4096);
            foreach (var instrument in instruments)
            {
                Write(builder, instrument);
            }

            return builder.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private static void Write(StringBuilder builder, MetricInstrument instrument)
    {
        var name = instrument.Name;
        builder.Append("# HELP ").Append(name).Append(' ').Append(instrument.Help.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal)).Append('\n');
        builder.Append("# TYPE ").Append(name).Append(' ').Append(instrument.Type).Append('\n');
        foreach (var (labels, series) in instrument.Series)
        {
            if (instrument.Bounds is not { } bounds)
            {
                Sample(builder, name, labels, series.Value);
                continue;
            }

            var (cumulative, sum, count) = series.Histogram();
            var prefix = labels.Length == 0 ? string.Empty : labels + ",";
            for (var i = 0; i < bounds.Count; i++)
            {
                Sample(builder, name + "_bucket", prefix + "le=\"" + Number(bounds[i]) + "\"", cumulative[i]);
            }

            Sample(builder, name + "_bucket", prefix + "le=\"+Inf\"", cumulative[^1]);
            Sample(builder, name + "_sum", labels, sum);
            Sample(builder, name + "_count", labels, count);
        }
    }

    private static void Sample(StringBuilder builder, string name, string labels, double value)
    {
        builder.Append(name);
        if (labels.Length > 0)
        {
            builder.Append('{').Append(labels).Append('}');
        }

        builder.Append(' ').Append(Number(value)).Append('\n');
    }

    internal static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ when value == Math.Floor(value) && Math.Abs(value) < 1e15 => ((long)value).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
