using System.Net;
using System.Net.Sockets;

namespace RadiusEmailOtp.Tests.MultiNode;

/// <summary>
/// A loopback TCP port in front of PostgreSQL that can be "down" (nothing listens: connections are refused, as with a
/// stopped server) and brought up (every connection is forwarded to <see cref="_target"/>), so a test can start a node
/// with its database unreachable without stopping the cluster the other tests share.
/// </summary>
internal sealed class TcpForwarder : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<Task> _pumps = [];
    private CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    public TcpForwarder(int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The port a node connects to; refused until <see cref="Start"/>.</summary>
    public int Port { get; }

    public void Start()
    {
        _stop.Dispose();
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _accepting = AcceptAsync(_listener, _stop.Token);
    }

    /// <summary>"The database goes down": the port is closed and every forwarded connection cut; <see cref="Start"/> again brings it back.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Task[] pumps;
        lock (_pumps)
        {
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _listener = null;
        _accepting = Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            lock (_pumps)
            {
                _pumps.RemoveAll(p => p.IsCompleted);
                _pumps.Add(ForwardAsync(client, cancellationToken));
            }
        }
    }

    private async Task ForwardAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using var _ = client;
        using var upstream = new TcpClient();
        // Cancelling closes both sockets at once, as a database going away does.
        await using var cut = cancellationToken.Register(() =>
        {
            client.Close();
            upstream.Close();
        });
        try
        {
            await upstream.ConnectAsync(_target, cancellationToken);
            var a = client.GetStream();
            var b = upstream.GetStream();
            var first = await Task.WhenAny(a.CopyToAsync(b, cancellationToken), b.CopyToAsync(a, cancellationToken));
            await first;
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side closed: both go.
        }
    }
}
