using System.Net;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Handlers;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Email;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Logging;
using RadiusEmailOtp.Metrics;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Radius.Dictionary;
using RadiusEmailOtp.Server;

namespace RadiusEmailOtp.Hosting;

/// <summary>
/// Wires the whole server from a validated configuration: data-dir lock, dictionary, sockets, store, mail, engine,
/// handler, UDP loops — in that order, so a second server or a taken port stops before any data is touched, and no
/// datagram is read before the store is open. The only place that knows every layer; <c>serve</c> and the end-to-end
/// tests both start the server through it. <see cref="ReloadAsync"/> swaps the reloadable parts of the configuration.
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly DataDirLock _dataDirLock;
    private readonly RadiusServer _server;
    private readonly OtpEngine _engine;
    private readonly OtpStorage _storage;
    private readonly MetricsHost _metrics;
    private readonly ConfigReloader _reloader;
    private readonly StoreMaintenance _maintenance;
    private bool _stopped;

    private ServerHost(
        DataDirLock dataDirLock, RadiusServer server, OtpEngine engine, OtpStorage storage, ConfigReloader reloader, RadiusDictionary dictionary, MetricsHost metrics,
        StoreMaintenance maintenance)
    {
        _maintenance = maintenance;
        _dataDirLock = dataDirLock;
        _metrics = metrics;
        _server = server;
        _engine = engine;
        _storage = storage;
        _reloader = reloader;
        Dictionary = dictionary;
    }

    /// <summary>Raised at the start of every reload, before the file is read and whether or not it turns out valid (reopen log files here).</summary>
    public event Action? ReloadStarting
    {
        add => _reloader.ReloadStarting += value;
        remove => _reloader.ReloadStarting -= value;
    }

    /// <summary>Raised after a reload applied a new configuration, with the previous and the new one.</summary>
    public event Action<AppConfig, AppConfig>? ConfigApplied
    {
        add => _reloader.ConfigApplied += value;
        remove => _reloader.ConfigApplied -= value;
    }

    public RadiusDictionary Dictionary { get; }

    /// <summary>The configuration in force (the last one applied; <c>[server]</c> keys needing a restart excepted).</summary>
    public AppConfig Config => _reloader.Current;

    public ServerCounters Counters => _server.Counters;

    public IReadOnlyList<IPEndPoint> LocalEndPoints => _server.LocalEndPoints;

    public IReadOnlyList<IPEndPoint> AccountingEndPoints => _server.AccountingEndPoints;

    /// <summary>Completes once the store is usable (at once, unless the database was unreachable at start).</summary>
    public Task StoreReady => _maintenance.Ready;

    /// <summary>Where /metrics and /healthz are served, or null when [metrics] listen is empty.</summary>
    public IPEndPoint? MetricsEndPoint => _metrics.EndPoint;

    /// <summary>
    /// Builds and starts the server. Throws <see cref="DataDirLockedException"/> (another server holds data_dir),
    /// <see cref="DictionaryException"/>, <see cref="StorageException"/> or a SocketException when something it needs
    /// is unusable. <paramref name="listenOverride"/> and <paramref name="acctListenOverride"/> let tests bind to port 0.
    /// </summary>
    public static async Task<ServerHost> StartAsync(
        AppConfig config,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        IReadOnlyList<IPEndPoint>? listenOverride = null,
        CancellationToken cancellationToken = default,
        IReadOnlyList<IPEndPoint>? acctListenOverride = null)
    {
        // First the lock: a second server on the same data_dir must leave before it reads or marks anything. Kept with
        // PostgreSQL too: the key file and the pickup outbox live there, and each node has a data_dir of its own.
        var dataDirLock = DataDirLock.Acquire(config.Server.DataDir);
        var logger = loggerFactory.CreateLogger("radiusd");
        ListenSockets? sockets = null;
        OtpStorage? storage = null;
        EmailServices? email = null;
        DirectoryServices? directories = null;
        DetailWriter? detail = null;
        RadiusServer? server = null;
        StoreMaintenance? maintenance = null;
        var started = false;
        var metrics = new MetricsHost(config.Metrics);
        try
        {
            StartupLog.Starting(logger, ProductVersion.Value, Path.GetFullPath(config.Path), Path.GetFullPath(config.Server.DataDir), config.Server.Dictionary);

            // The dictionary is loaded at start so a broken one stops the server before it answers anyone.
            var dictionary = RadiusDictionary.Load(config.Server.Dictionary);
            sockets = ListenSockets.Bind(listenOverride ?? config.Server.Listen, acctListenOverride ?? config.Server.ListenAcct);
            var availability = new StoreAvailability(logger, time);
            storage = await OpenStorageAsync(config, time, logger, availability, cancellationToken);
            if (storage.CreatedKey)
            {
                StartupLog.KeyCreated(logger, Path.GetFullPath(storage.KeyPath));
            }

            var pending = storage.IsPending;
            if (!pending)
            {
                await MarkInterruptedAsync(storage, logger, cancellationToken);
            }

            email = EmailServices.Create(config, loggerFactory, time, metrics.Meter);
            email.StartMaintenance(logger);
            StartupLog.Email(logger, email.DefaultProvider, email.Providers.Count, config.Policies.Count);
            directories = DirectoryServices.Create(config, storage.Store, storage.Protector, loggerFactory, time);
            var engine = new OtpEngine(
                storage.Store,
                storage.Protector,
                directories.EngineConfiguration(config, email),
                time,
                loggerFactory.CreateLogger<OtpEngine>());
            var handler = new OtpAccessRequestHandler(engine, logger, time, new ReplyAttributeResolver(config.Policies, config.Clients, dictionary), availability);
            var options = new ServerOptions(config.Server.MaxAttributes, config.Server.RejectDelay, config.Server.CleanupDelay, config.Server.MaxRequestTime)
            {
                Tracer = new PacketTracer(dictionary, logger),
            };
            detail = config.Server.AcctLog is { } acctLog ? new DetailWriter(acctLog, dictionary, time) : null;
            var clients = new ClientRegistry(config.Clients);
            server = new RadiusServer([], options, clients, handler, time, logger, detail: detail, metrics: metrics.Server);
            var reloader = new ConfigReloader(config, email, directories, storage, engine, clients, handler, dictionary, loggerFactory, time, logger, metrics.Meter);

            // Only now are datagrams read: everything a request needs is in place.
            server.Start(sockets);
            started = true;
            var opened = storage;
            maintenance = new StoreMaintenance(
                storage.Store,
                pending ? async ct => await CompletePendingAsync(opened, logger, availability, ct) : null,
                time,
                logger,
                availability);
            maintenance.Start();
            metrics.Start(storage.Store, time, logger);
            return new ServerHost(dataDirLock, server, engine, storage, reloader, dictionary, metrics, maintenance);
        }
        catch
        {
            if (started)
            {
                // The metrics address is taken: the RADIUS loops run already (and own the sockets) and must stop again.
                await server!.DisposeAsync();
            }
            else
            {
                sockets?.Dispose();
            }

            if (maintenance is not null)
            {
                await maintenance.DisposeAsync();
            }

            await metrics.DisposeAsync();
            detail?.Dispose();
            if (email is not null)
            {
                await email.DisposeAsync();
            }

            directories?.Dispose();
            storage?.Dispose();
            dataDirLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Re-reads the configuration file and applies it (see <see cref="ConfigReloader"/>). False when it was refused
    /// (errors are logged with file and line) and the server goes on with the configuration it had.
    /// </summary>
    public Task<bool> ReloadAsync(CancellationToken cancellationToken = default) => _reloader.ReloadAsync(cancellationToken);

    /// <summary>Logs the counters so far (SIGUSR1).</summary>
    public void LogStatistics(ILogger logger)
    {
        var c = _server.Counters;
        HostLog.Statistics(
            logger, c.Received, c.Accepts, c.Rejects, c.Challenges, c.TotalDropped, c.Shed, c.Duplicates, _server.InFlight, _engine.PendingDeliveries);
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

        await _reloader.DisposeAsync();
        await _maintenance.DisposeAsync();
        await _metrics.DisposeAsync();
        _storage.Dispose();

        // Last: until here this process owns the data directory.
        _dataDirLock.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(5));

    /// <summary>
    /// The configured store. An unreachable PostgreSQL does not stop the server: it starts on a pending store that rejects
    /// every request, and <see cref="StoreMaintenance"/> opens it when the database answers.
    /// </summary>
    private static async Task<OtpStorage> OpenStorageAsync(
        AppConfig config, TimeProvider time, ILogger logger, StoreAvailability availability, CancellationToken cancellationToken)
    {
        if (config.Store.Kind == StoreKind.Sqlite)
        {
            return await OtpStorage.OpenAsync(config.Server.DataDir, time, cancellationToken);
        }

        StoreLog.Postgres(logger, config.Store.Connection!.Redacted, config.Store.Node);
        try
        {
            return await OtpStorage.OpenAsync(config.Store, config.Server.DataDir, create: true, time, cancellationToken);
        }
        catch (StoreUnavailableException ex)
        {
            var storage = OtpStorage.OpenPending(config.Store, config.Server.DataDir, time, ex.Message);
            availability.Unavailable(ex.Message);
            return storage;
        }
    }

    private static async Task CompletePendingAsync(OtpStorage storage, ILogger logger, StoreAvailability availability, CancellationToken cancellationToken)
    {
        // Also marks the deliveries this node left pending before it stopped, before any request can start one.
        var interrupted = await storage.CompletePendingAsync(cancellationToken);
        availability.Available($"{storage.DatabasePath} migrated and its key checked");
        if (interrupted > 0)
        {
            HostLog.InterruptedDeliveries(logger, interrupted);
        }
    }

    // Deliveries still "pending" were cut off by a crash or kill; they must not block the users' next mail. On
    // PostgreSQL only this node's (the store knows its node).
    private static async Task MarkInterruptedAsync(OtpStorage storage, ILogger logger, CancellationToken cancellationToken)
    {
        var interrupted = await storage.Store.MarkInterruptedDeliveriesAsync(cancellationToken);
        if (interrupted > 0)
        {
            HostLog.InterruptedDeliveries(logger, interrupted);
        }
    }
}
