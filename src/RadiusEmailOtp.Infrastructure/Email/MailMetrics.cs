using System.Diagnostics.Metrics;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// The mail path's instruments, on the meter the host passes in: <c>otp_mails_total{provider,result}</c> (one per provider
/// attempt: accepted, transient, permanent, compose_failed) and <c>otp_mail_duration_seconds{provider}</c>.
/// </summary>
internal sealed class MailMetrics
{
    private static readonly IReadOnlyList<double> s_buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120];

    private readonly Counter<long> _mails;
    private readonly Histogram<double> _duration;

    public MailMetrics(Meter meter)
    {
        _mails = meter.CreateCounter<long>("otp_mails_total", description: "OTP mails handed to a provider, one per attempt, by provider and result.");
        _duration = meter.CreateHistogram(
            "otp_mail_duration_seconds",
            unit: "s",
            description: "Time one provider took to accept or refuse an OTP mail.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_buckets });
    }

    public void Attempt(string provider, string result, TimeSpan duration)
    {
        var providerTag = new KeyValuePair<string, object?>("provider", provider);
        _mails.Add(1, providerTag, new KeyValuePair<string, object?>("result", result));
        _duration.Record(duration.TotalSeconds, providerTag);
    }

    public void ComposeFailed(string provider) =>
        _mails.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("result", "compose_failed"));
}
