using System.Net;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Handlers;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Email;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Logging;
using RadiusEmailOtp.Metrics;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Radius.Dictionary;
using RadiusEmailOtp.Server;

namespace RadiusEmailOtp.Hosting;

/// <summary>
/// Wires the whole server from a validated configuration: dictionary, store, mail, engine, handler, UDP listener.
/// The only place that knows every layer; <c>serve</c> and the end-to-end tests both start the server through it.
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly RadiusServer _server;
    private readonly OtpEngine _engine;
    private readonly EmailServices _email;
    private readonly OtpStorage _storage;
    private readonly MetricsHost _metrics;
    private bool _stopped;

    private ServerHost(RadiusServer server, OtpEngine engine, EmailServices email, OtpStorage storage, RadiusDictionary dictionary, MetricsHost metrics)
    {
        _metrics = metrics;
        _server = server;
        _engine = engine;
        _email = email;
        _storage = storage;
        Dictionary = dictionary;
    }

    public RadiusDictionary Dictionary { get; }

    public ServerCounters Counters => _server.Counters;

    public IReadOnlyList<IPEndPoint> LocalEndPoints => _server.LocalEndPoints;

    public IReadOnlyList<IPEndPoint> AccountingEndPoints => _server.AccountingEndPoints;

    /// <summary>Where /metrics and /healthz are served, or null when [metrics] listen is empty.</summary>
    public IPEndPoint? MetricsEndPoint => _metrics.EndPoint;

    /// <summary>
    /// Builds and starts the server. Throws <see cref="DictionaryException"/>, <see cref="StorageException"/> or a
    /// SocketException when something it needs is unusable. <paramref name="listenOverride"/> and
    /// <paramref name="acctListenOverride"/> let tests bind to port 0.
    /// </summary>
    public static async Task<ServerHost> StartAsync(
        AppConfig config,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        IReadOnlyList<IPEndPoint>? listenOverride = null,
        CancellationToken cancellationToken = default,
        IReadOnlyList<IPEndPoint>? acctListenOverride = null)
    {
        var logger = loggerFactory.CreateLogger("radiusd");
        StartupLog.Starting(logger, ProductVersion.Value, Path.GetFullPath(config.Path), Path.GetFullPath(config.Server.DataDir), config.Server.Dictionary);

        // The dictionary is loaded at start so a broken one stops the server before it answers anyone.
        var dictionary = RadiusDictionary.Load(config.Server.Dictionary);
        var storage = await OtpStorage.OpenAsync(config.Server.DataDir, time, cancellationToken);
        if (storage.CreatedKey)
        {
            StartupLog.KeyCreated(logger, Path.GetFullPath(storage.KeyPath));
        }

        var metrics = new MetricsHost(config.Metrics);

        // Deliveries still "pending" were cut off by a crash or kill; they must not block the users' next mail.
        var interrupted = await storage.Store.MarkInterruptedDeliveriesAsync(cancellationToken);
        if (interrupted > 0)
        {
            HostLog.InterruptedDeliveries(logger, interrupted);
        }

        var email = EmailServices.Create(config, loggerFactory, time, metrics.Meter);
        email.StartMaintenance(logger);
        StartupLog.Email(logger, email.DefaultProvider, email.Providers.Count, config.Policies.Count);
        var engine = new OtpEngine(
            storage.Store,
            storage.Protector,
            email.Sender,
            email.Selector,
            config.EmailToken,
            config.Realm,
            time,
            loggerFactory.CreateLogger<OtpEngine>());
        var handler = new OtpAccessRequestHandler(engine, logger, time, new ReplyAttributeResolver(config.Policies, config.Clients, dictionary));
        var options = new ServerOptions(config.Server.MaxAttributes, config.Server.RejectDelay, config.Server.CleanupDelay, config.Server.MaxRequestTime)
        {
            Tracer = new PacketTracer(dictionary, logger),
        };
        var detail = config.Server.AcctLog is { } acctLog ? new DetailWriter(acctLog, dictionary, time) : null;
        var server = new RadiusServer(
            listenOverride ?? config.Server.Listen,
            options,
            new ClientRegistry(config.Clients),
            handler,
            time,
            logger,
            acctListenOverride ?? config.Server.ListenAcct,
            detail,
            metrics.Server);
        var started = false;
        try
        {
            server.Start();
            started = true;
            metrics.Start(storage.Store, time, logger);
        }
        catch
        {
            if (started)
            {
                // The metrics address is taken: the RADIUS sockets are bound already and must be closed again.
                await server.DisposeAsync();
            }

            await metrics.DisposeAsync();
            detail?.Dispose();
            await email.DisposeAsync();
            storage.Dispose();
            throw;
        }

        return new ServerHost(server, engine, email, storage, dictionary, metrics);
    }

    /// <summary>Answers the requests in progress, lets mails still being delivered finish, then closes connections.</summary>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _metrics.Stopping();
        await _server.StopAsync(drainTimeout);
        using var deliveries = new CancellationTokenSource(drainTimeout);
        try
        {
            await _engine.DrainAsync(deliveries.Token);
        }
        catch (OperationCanceledException)
        {
            // A provider that hangs past the drain timeout must not keep the process alive; the outcome stays "pending".
        }

        await _email.DisposeAsync();
        await _metrics.DisposeAsync();
        _storage.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(5));
}
