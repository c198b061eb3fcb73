using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Metrics;

/// <summary>
/// The server's meter and, when <c>[metrics] listen</c> is set, its exporter, store gauges and HTTP endpoint. The
/// instruments exist either way (recording to no listener costs next to nothing); only the endpoint is optional.
/// </summary>
internal sealed class MetricsHost : IAsyncDisposable
{
    private readonly MetricsSettings _settings;
    private readonly PrometheusExporter? _exporter;
    private StoreGauges? _gauges;
    private MetricsHttpServer? _http;
    private volatile bool _listening;

    public MetricsHost(MetricsSettings settings)
    {
        _settings = settings;
        Server = new ServerMetrics();
        if (settings.Listen is not null)
        {
            _exporter = new PrometheusExporter(Server.Meter);
            Server.Prime();
        }
    }

    public ServerMetrics Server { get; }

    public Meter Meter => Server.Meter;

    /// <summary>Where /metrics is served, or null when [metrics] listen is empty.</summary>
    public IPEndPoint? EndPoint => _http?.LocalEndPoint;

    /// <summary>Starts the endpoint (throws SocketException when its address is taken); from then on /healthz reports the server listening.</summary>
    public void Start(IOtpStore store, TimeProvider time, ILogger logger)
    {
        _listening = true;
        if (_exporter is null || _settings.Listen is not { } listen)
        {
            return;
        }

        _gauges = new StoreGauges(store, time, Meter);
        _http = MetricsHttpServer.Start(listen, ScrapeAsync, HealthyAsync, logger);
        MetricsLog.Listening(logger, _http.LocalEndPoint.Address, _http.LocalEndPoint.Port);
    }

    /// <summary>The RADIUS sockets are closing: /healthz answers 503 from now on.</summary>
    public void Stopping() => _listening = false;

    public async ValueTask DisposeAsync()
    {
        _listening = false;
        if (_http is not null)
        {
            await _http.DisposeAsync();
        }

        _exporter?.Dispose();
        _gauges?.Dispose();
        Server.Dispose();
    }

    private async Task<string> ScrapeAsync(CancellationToken cancellationToken)
    {
        // A failing store leaves its two gauges out of the scrape; everything else is still worth reading.
        await _gauges!.RefreshAsync(StoreGauges.CacheFor, cancellationToken).ConfigureAwait(false);
        return _exporter!.Scrape();
    }

    private async Task<bool> HealthyAsync(CancellationToken cancellationToken) =>
        _listening && await _gauges!.RefreshAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
}
