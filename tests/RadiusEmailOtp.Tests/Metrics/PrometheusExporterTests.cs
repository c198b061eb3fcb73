using System.Diagnostics.Metrics;
using NUnit.Framework;
using RadiusEmailOtp.Metrics;
using RadiusEmailOtp.Server;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Metrics;

/// <summary>The text exposition of our own exporter: counters, gauges, histograms, escaping, and promtool's verdict.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class PrometheusExporterTests
{
    [Test]
    public async Task Counters_histograms_and_gauges_are_written_in_text_format_0_0_4()
    {
        using var meter = new Meter("test-" + Guid.NewGuid().ToString("N"));
        var counter = meter.CreateCounter<long>("demo_events_total", description: "Events.");
        var histogram = meter.CreateHistogram("demo_duration_seconds", "s", "Durations.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        meter.CreateObservableGauge("demo_items", () => 7L, description: "Items.");
        using var exporter = new PrometheusExporter(meter);

        counter.Add(2, new KeyValuePair<string, object?>("kind", "a\"b\\c\nd"));
        counter.Add(1, new KeyValuePair<string, object?>("kind", "plain"));
        histogram.Record(0.05);
        histogram.Record(0.5);
        histogram.Record(3);
        var text = exporter.Scrape();

        Assert.That(text, Does.Contain("# HELP demo_events_total Events.\n# TYPE demo_events_total counter\n"));
        Assert.That(text, Does.Contain("demo_events_total{kind=\"a\\\"b\\\\c\\nd\"} 2\n"));
        Assert.That(text, Does.Contain("demo_events_total{kind=\"plain\"} 1\n"));
        Assert.That(text, Does.Contain("# TYPE demo_duration_seconds histogram\n"
            + "demo_duration_seconds_bucket{le=\"0.1\"} 1\n"
            + "demo_duration_seconds_bucket{le=\"1\"} 2\n"
            + "demo_duration_seconds_bucket{le=\"+Inf\"} 3\n"
            + "demo_duration_seconds_sum 3.55\n"
            + "demo_duration_seconds_count 3\n"));
        Assert.That(text, Does.Contain("# TYPE demo_items gauge\ndemo_items 7\n"));

        var (exit, output) = await Promtool.CheckMetricsAsync(text);
        Assert.That(exit, Is.Zero, output + "\n" + text);
    }

    [Test]
    public void Another_meter_of_the_same_name_is_not_exported()
    {
        using var mine = new Meter(ServerMetrics.MeterName);
        using var other = new Meter(ServerMetrics.MeterName);
        mine.CreateCounter<long>("mine_total").Add(1);
        using var exporter = new PrometheusExporter(mine);
        other.CreateCounter<long>("other_total").Add(5);

        var text = exporter.Scrape();
        Assert.That(text, Does.Contain("mine_total"));
        Assert.That(text, Does.Not.Contain("other_total"), "two servers in one process keep their numbers apart");
    }

    [TestCase("unknown client", "unknown_client")]
    [TestCase("TooShort", "malformed")]
    [TestCase("UnknownCode", "unknown_type")]
    [TestCase("AccessRequest is not valid on the acct port", "unknown_type")]
    [TestCase("invalid Message-Authenticator (is the shared secret right?)", "bad_authenticator")]
    [TestCase("invalid Request Authenticator (is the shared secret right?)", "bad_authenticator")]
    [TestCase("Access-Request without Message-Authenticator; require_message_authenticator = yes (BlastRADIUS)", "missing_message_authenticator")]
    [TestCase("server busy", "busy")]
    [TestCase("shed", "shed")]
    [TestCase("detail file not writable", "detail_file")]
    [TestCase("the reply would not fit in a RADIUS packet", "reply_too_large")]
    public void Drop_reasons_get_a_short_fixed_label(string reason, string label)
    {
        Assert.That(ServerCounters.Kind(reason), Is.EqualTo(label));
    }
}
