using System.Net;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Radius.Dictionary;
using RadiusEmailOtp.Server;

namespace RadiusEmailOtp.Hosting;

/// <summary>
/// Wires the whole server from a validated configuration: dictionary, clients, handler, UDP listener.
/// The only place that knows every layer; <c>serve</c> and the end-to-end tests both start the server through it.
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly RadiusServer _server;

    private ServerHost(RadiusServer server, RadiusDictionary dictionary)
    {
        _server = server;
        Dictionary = dictionary;
    }

    public RadiusDictionary Dictionary { get; }

    public ServerCounters Counters => _server.Counters;

    public IReadOnlyList<IPEndPoint> LocalEndPoints => _server.LocalEndPoints;

    /// <summary>Builds and starts the server. <paramref name="listenOverride"/> lets tests bind to port 0.</summary>
    public static ServerHost Start(AppConfig config, ILoggerFactory loggerFactory, TimeProvider time, IReadOnlyList<IPEndPoint>? listenOverride = null)
    {
        // The dictionary is loaded at start so a broken one stops the server before it answers anyone.
        var dictionary = RadiusDictionary.Load(config.Server.Dictionary);
        var clients = new ClientRegistry(config.Clients);
        var options = new ServerOptions(config.Server.MaxAttributes, config.Server.RejectDelay, config.Server.CleanupDelay);
        IAccessRequestHandler handler = new RejectAllHandler();
        var server = new RadiusServer(listenOverride ?? config.Server.Listen, options, clients, handler, time, loggerFactory.CreateLogger("radiusd"));
        server.Start();
        return new ServerHost(server, dictionary);
    }

    public Task StopAsync(TimeSpan drainTimeout) => _server.StopAsync(drainTimeout);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
