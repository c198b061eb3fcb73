using System.Net;

namespace RadiusEmailOtp.Server;

/// <summary>Where replies go: the socket the request came in on, so the reply leaves from the address the NAS asked.</summary>
internal interface IReplySink
{
    IPEndPoint LocalEndPoint { get; }

    void Send(ReadOnlySpan<byte> datagram, IPEndPoint destination);
}
