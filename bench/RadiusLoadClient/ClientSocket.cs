using System.Net;
using System.Net.Sockets;

namespace RadiusLoadClient;

/// <summary>
/// One connected UDP socket and its Identifier space (RFC 2865 §3: 256 per source port). An Identifier in flight is
/// never reused; freed ones go to the back of a FIFO, so a late reply to a timed-out request meets 255 other requests
/// first and, if it ever matches an Identifier again, fails the Response Authenticator check.
/// </summary>
internal sealed class ClientSocket : IDisposable
{
    private readonly PendingRequest?[] _slots = new PendingRequest?[256];
    private readonly Queue<byte> _free = new(256);
    private readonly Lock _lock = new();

    public ClientSocket(IPEndPoint server)
    {
        Socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        Socket.ReceiveBufferSize = 4 << 20;
        Socket.SendBufferSize = 4 << 20;
        Socket.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback, 0));
        Socket.Connect(server);
        for (var id = 0; id < 256; id++)
        {
            _free.Enqueue((byte)id);
        }
    }

    public Socket Socket { get; }

    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return 256 - _free.Count;
            }
        }
    }

    public bool TryRegister(PendingRequest pending, out byte identifier)
    {
        lock (_lock)
        {
            if (!_free.TryDequeue(out identifier))
            {
                return false;
            }

            _slots[identifier] = pending;
            return true;
        }
    }

    public PendingRequest? Peek(byte identifier)
    {
        lock (_lock)
        {
            return _slots[identifier];
        }
    }

    /// <summary>Frees the Identifier if it still belongs to <paramref name="pending"/>; false when the sweeper got there first.</summary>
    public bool TryRelease(byte identifier, PendingRequest pending)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_slots[identifier], pending))
            {
                return false;
            }

            _slots[identifier] = null;
            _free.Enqueue(identifier);
            return true;
        }
    }

    /// <summary>Removes the requests whose deadline has passed (all of them with <paramref name="now"/> = long.MaxValue).</summary>
    public void TakeExpired(long now, List<PendingRequest> expired)
    {
        lock (_lock)
        {
            for (var id = 0; id < _slots.Length; id++)
            {
                var pending = _slots[id];
                if (pending is not null && pending.Deadline <= now)
                {
                    _slots[id] = null;
                    _free.Enqueue((byte)id);
                    expired.Add(pending);
                }
            }
        }
    }

    public void Dispose() => Socket.Dispose();
}
