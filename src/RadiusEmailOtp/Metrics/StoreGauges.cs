using System.Diagnostics.Metrics;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Metrics;

/// <summary>
/// <c>otp_open_challenges</c> and <c>otp_locked_tokens</c>: one store query, cached for a few seconds so that frequent
/// scrapes (or several Prometheus servers) cost the store nothing more. The same query is the health check's
/// "the store answers".
/// </summary>
internal sealed class StoreGauges : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly IOtpStore _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private StoreCounts? _counts;
    private long _readAt;

    public StoreGauges(IOtpStore store, TimeProvider time, Meter meter)
    {
        _store = store;
        _time = time;
        // No sample while the store fails: a gauge stuck at its last value would look healthy.
        meter.CreateObservableGauge("otp_open_challenges", () => Sample(c => c.OpenChallenges), description: "Challenges open and unexpired (OTPs that can still be answered).");
        meter.CreateObservableGauge("otp_locked_tokens", () => Sample(c => c.LockedTokens), description: "Tokens locked by failcount reaching max_fail.");
    }

    /// <summary>Queries the store unless the last answer is younger than <paramref name="maxAge"/>; false when the store failed or took longer than the timeout.</summary>
    public async Task<bool> RefreshAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_counts is not null && _time.GetElapsedTime(_readAt) < maxAge)
            {
                return true;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            _counts = await _store.CountAsync(_time.GetUtcNow(), timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
            _readAt = _time.GetTimestamp();
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A failing store must not show stale numbers as if they were current.
            _counts = null;
            return false;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public void Dispose() => _refreshing.Dispose();

    private IEnumerable<Measurement<long>> Sample(Func<StoreCounts, long> read) =>
        _counts is { } counts ? [new Measurement<long>(read(counts))] : [];
}
