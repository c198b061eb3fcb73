using System.Net;
using System.Net.Sockets;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>
/// A loopback UDP relay between one client and the server that drops the first <c>dropReplies</c> replies, so a real
/// client (radclient) times out and retransmits exactly as it would over a lossy network.
/// </summary>
internal sealed class LossyUdpRelay : IAsyncDisposable
{
    private readonly UdpClient _front = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _back = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _forward;
    private readonly Task _backward;
    private int _toDrop;
    private int _requests;
    private IPEndPoint? _client;

    public LossyUdpRelay(IPEndPoint server, int dropReplies)
    {
        _toDrop = dropReplies;
        _forward = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var request = await _front.ReceiveAsync(_stop.Token);
                _client = request.RemoteEndPoint;
                Interlocked.Increment(ref _requests);
                await _back.SendAsync(request.Buffer, server, _stop.Token);
            }
        });
        _backward = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var reply = await _back.ReceiveAsync(_stop.Token);
                if (Interlocked.Decrement(ref _toDrop) < 0 && _client is { } client)
                {
                    await _front.SendAsync(reply.Buffer, client, _stop.Token);
                }
            }
        });
    }

    /// <summary>Where the client sends its requests.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_front.Client.LocalEndPoint!;

    /// <summary>Datagrams the client sent through the relay (first sends and retransmits).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _front.Dispose();
        _back.Dispose();
        try
        {
            await Task.WhenAll(_forward, _backward);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopping closes the sockets under the loops.
        }

        _stop.Dispose();
    }
}
