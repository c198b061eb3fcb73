using System.Net;
using System.Net.Sockets;

namespace RadiusEmailOtp.Server;

/// <summary>One bound UDP socket; replies leave through it, so they come from the address the NAS sent to.</summary>
internal sealed class UdpEndpoint : IReplySink, IDisposable
{
    private readonly Socket _socket;

    public UdpEndpoint(IPEndPoint bindTo)
    {
        _socket = new Socket(bindTo.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (bindTo.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _socket.DualMode = bindTo.Address.Equals(IPAddress.IPv6Any);
        }

        // Bursts of logins from many NAS: a larger receive buffer absorbs them while the loops catch up.
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.Bind(bindTo);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public Socket Socket => _socket;

    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint destination)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, destination);
        }
        catch (SocketException)
        {
            // The NAS went away or the network is down; UDP has no one to tell. The NAS will retransmit.
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
    }

    public void Dispose() => _socket.Dispose();
}
