using System.Diagnostics.Metrics;
using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Metrics;

/// <summary>
/// The RADIUS layer's instruments on the server's <see cref="System.Diagnostics.Metrics.Meter"/>, named as Prometheus
/// names them (the exporter writes them unchanged). One instance per server, so two servers in one process (tests)
/// never mix their numbers.
/// </summary>
internal sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "RadiusEmailOtp";

    /// <summary>Reply times from a few milliseconds (Status-Server, cached replies) to the seconds a mail may take.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10];

    private readonly Counter<long> _requests;
    private readonly Counter<long> _replies;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _duplicates;
    private readonly Histogram<double> _replyDuration;

    public ServerMetrics()
    {
        Meter = new Meter(MeterName, Logging.ProductVersion.Value);
        _requests = Meter.CreateCounter<long>("radius_requests_total", description: "RADIUS packets received from known clients that parsed, by packet code and client name.");
        _replies = Meter.CreateCounter<long>("radius_replies_total", description: "Replies sent to Access-Requests and Accounting-Requests, by packet code.");
        _dropped = Meter.CreateCounter<long>("radius_dropped_total", description: "Packets dropped without a reply, by reason.");
        _duplicates = Meter.CreateCounter<long>("radius_duplicates_total", description: "Retransmits recognised by the duplicate cache (RFC 5080).");
        _replyDuration = Meter.CreateHistogram(
            "radius_reply_duration_seconds",
            unit: "s",
            description: "Time from a request's arrival to its reply.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    public Meter Meter { get; }

    public void Request(RadiusCode code, string client) =>
        _requests.Add(1, new KeyValuePair<string, object?>("code", PacketNames.Of(code)), new KeyValuePair<string, object?>("client", client));

    public void Reply(RadiusCode code) => _replies.Add(1, new KeyValuePair<string, object?>("code", PacketNames.Of(code)));

    public void Drop(string reason) => _dropped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Duplicate() => _duplicates.Add(1);

    public void ReplyDuration(TimeSpan elapsed) => _replyDuration.Record(elapsed.TotalSeconds);

    /// <summary>Zero samples for the series every server has, so a scrape shows them (and rate() works) before the first event.</summary>
    public void Prime()
    {
        foreach (var code in (RadiusCode[])[RadiusCode.AccessAccept, RadiusCode.AccessReject, RadiusCode.AccessChallenge, RadiusCode.AccountingResponse])
        {
            _replies.Add(0, new KeyValuePair<string, object?>("code", PacketNames.Of(code)));
        }

        _duplicates.Add(0);
    }

    public void Dispose() => Meter.Dispose();
}
