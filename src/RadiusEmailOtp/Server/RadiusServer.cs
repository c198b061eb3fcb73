using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Server;

/// <summary>
/// The UDP side: binds every listen address and runs several receive loops per socket, each with its own buffer,
/// handing datagrams to the <see cref="RequestProcessor"/> (auth ports) or the <see cref="AccountingProcessor"/> (acct
/// ports). Stops by cancellation and drains requests in progress.
/// </summary>
internal sealed class RadiusServer : IAsyncDisposable
{
    private const int ReceiveBufferSize = 65_536;
    private readonly IReadOnlyList<IPEndPoint> _listen;
    private readonly IReadOnlyList<IPEndPoint> _listenAcct;
    private readonly RequestProcessor _processor;
    private readonly AccountingProcessor _accounting;
    private readonly DetailWriter? _detail;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _cancel = new();
    private ListenSockets? _sockets;
    private readonly List<Task> _loops = [];
    private readonly ClientRegistry _clients;
    private ITimer? _sweeper;

    public RadiusServer(
        IReadOnlyList<IPEndPoint> listen,
        ServerOptions options,
        ClientRegistry clients,
        IAccessRequestHandler handler,
        TimeProvider time,
        ILogger logger,
        IReadOnlyList<IPEndPoint>? listenAcct = null,
        DetailWriter? detail = null,
        Metrics.ServerMetrics? metrics = null)
    {
        _listen = listen;
        _listenAcct = listenAcct ?? [];
        _detail = detail;
        _time = time;
        _logger = logger;
        _clients = clients;
        Counters = new ServerCounters(metrics);
        _processor = new RequestProcessor(options, clients, handler, Counters, time, logger);
        _accounting = new AccountingProcessor(options, clients, Counters, detail, time, logger);
    }

    public ServerCounters Counters { get; }

    /// <summary>Access-Requests admitted and not yet answered.</summary>
    public int InFlight => _processor.InFlight;

    /// <summary>Access-Requests waiting for a handler slot (all <see cref="ServerOptions.MaxRunningHandlers"/> busy).</summary>
    public int Waiting => _processor.Waiting;

    public IReadOnlyList<IPEndPoint> LocalEndPoints => [.. (_sockets?.Auth ?? []).Select(e => e.LocalEndPoint)];

    /// <summary>The bound accounting addresses (empty when listen_acct is).</summary>
    public IReadOnlyList<IPEndPoint> AccountingEndPoints => [.. (_sockets?.Acct ?? []).Select(e => e.LocalEndPoint)];

    /// <summary>Starts the loops on sockets bound beforehand (the server owns them from now on).</summary>
    public void Start(ListenSockets sockets)
    {
        _sockets = sockets;
        Start();
    }

    /// <summary>Binds all sockets unless given bound ones (throws SocketException when an address is taken) and starts the loops.</summary>
    public void Start()
    {
        _sockets ??= ListenSockets.Bind(_listen, _listenAcct);
        var loopsPerSocket = Math.Max(2, Environment.ProcessorCount);
        foreach (var endpoint in _sockets.Auth)
        {
            ServerLog.Listening(_logger, endpoint.LocalEndPoint.Address, endpoint.LocalEndPoint.Port);
            for (var i = 0; i < loopsPerSocket; i++)
            {
                _loops.Add(Task.Run(() => ReceiveLoopAsync(endpoint, _processor.Process, _cancel.Token)));
            }
        }

        foreach (var endpoint in _sockets.Acct)
        {
            ServerLog.ListeningAcct(_logger, endpoint.LocalEndPoint.Address, endpoint.LocalEndPoint.Port);
            for (var i = 0; i < loopsPerSocket; i++)
            {
                _loops.Add(Task.Run(() => ReceiveLoopAsync(endpoint, _accounting.Process, _cancel.Token)));
            }
        }

        _sweeper = _time.CreateTimer(
            _ =>
            {
                _processor.Sweep();
                _accounting.Sweep();
            },
            null,
            TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(1));
        ServerLog.Ready(_logger, _clients.Count);
    }

    /// <summary>Stops receiving, then waits up to <paramref name="drainTimeout"/> for requests in progress to be answered.</summary>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        if (_cancel.IsCancellationRequested)
        {
            return;
        }

        ServerLog.Stopping(_logger, _processor.InFlight);
        await _cancel.CancelAsync();
        await _processor.DrainAsync(drainTimeout);
        _sockets?.Dispose();

        await Task.WhenAll(_loops).ContinueWith(static _ => { }, TaskScheduler.Default);
        _sweeper?.Dispose();
        _detail?.Dispose();
        ServerLog.Stopped(_logger, Counters.Received, Counters.Accepts, Counters.Rejects, Counters.Challenges, Counters.TotalDropped, Counters.Shed);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _cancel.Dispose();
    }

    private async Task ReceiveLoopAsync(UdpEndpoint endpoint, DatagramHandler process, CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferSize, pinned: true);
        EndPoint any = endpoint.LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await endpoint.Socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize or SocketError.ConnectionRefused)
            {
                // ICMP errors from earlier replies and oversize datagrams concern no one now; keep receiving.
                continue;
            }

            try
            {
                process(buffer.AsSpan(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint, endpoint);
            }
            catch (Exception ex)
            {
                // The codec never throws on input; this is a bug, and one bad packet must not end the loop.
                ServerLog.DatagramFailed(_logger, ex, received.RemoteEndPoint);
            }
        }
    }

    private delegate void DatagramHandler(ReadOnlySpan<byte> datagram, IPEndPoint source, IReplySink sink);
}
