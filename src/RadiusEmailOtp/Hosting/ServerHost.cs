using System.Net;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Handlers;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Email;
using RadiusEmailOtp.Infrastructure.Storage;
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
    private bool _stopped;

    private ServerHost(RadiusServer server, OtpEngine engine, EmailServices email, OtpStorage storage, RadiusDictionary dictionary)
    {
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
        // The dictionary is loaded at start so a broken one stops the server before it answers anyone.
        var dictionary = RadiusDictionary.Load(config.Server.Dictionary);
        var storage = await OtpStorage.OpenAsync(config.Server.DataDir, time, cancellationToken);
        var logger = loggerFactory.CreateLogger("radiusd");

        // Deliveries still "pending" were cut off by a crash or kill; they must not block the users' next mail.
        var interrupted = await storage.Store.MarkInterruptedDeliveriesAsync(cancellationToken);
        if (interrupted > 0)
        {
            HostLog.InterruptedDeliveries(logger, interrupted);
        }

        var email = EmailServices.Create(config, loggerFactory, time);
        email.StartMaintenance(logger);
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
        var options = new ServerOptions(config.Server.MaxAttributes, config.Server.RejectDelay, config.Server.CleanupDelay, config.Server.MaxRequestTime);
        var detail = config.Server.AcctLog is { } acctLog ? new DetailWriter(acctLog, dictionary, time) : null;
        var server = new RadiusServer(
            listenOverride ?? config.Server.Listen,
            options,
            new ClientRegistry(config.Clients),
            handler,
            time,
            logger,
            acctListenOverride ?? config.Server.ListenAcct,
            detail);
        try
        {
            server.Start();
        }
        catch
        {
            detail?.Dispose();
            await email.DisposeAsync();
            storage.Dispose();
            throw;
        }

        return new ServerHost(server, engine, email, storage, dictionary);
    }

    /// <summary>Answers the requests in progress, lets mails still being delivered finish, then closes connections.</summary>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
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
        _storage.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(5));
}
