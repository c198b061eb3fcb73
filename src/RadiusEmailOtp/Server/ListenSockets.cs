using System.Net;

namespace RadiusEmailOtp.Server;

/// <summary>
/// The bound UDP sockets of the auth and acct ports. Bound before anything else is opened, so a taken port stops the
/// server before it touches its data; nothing is received until the <see cref="RadiusServer"/> starts its loops.
/// </summary>
internal sealed class ListenSockets : IDisposable
{
    private ListenSockets(List<UdpEndpoint> auth, List<UdpEndpoint> acct)
    {
        Auth = auth;
        Acct = acct;
    }

    public IReadOnlyList<UdpEndpoint> Auth { get; }

    public IReadOnlyList<UdpEndpoint> Acct { get; }

    /// <summary>Binds every address (throws SocketException when one is taken, after closing those already bound).</summary>
    public static ListenSockets Bind(IReadOnlyList<IPEndPoint> auth, IReadOnlyList<IPEndPoint> acct)
    {
        var authEndpoints = new List<UdpEndpoint>();
        var acctEndpoints = new List<UdpEndpoint>();
        try
        {
            foreach (var address in auth)
            {
                authEndpoints.Add(new UdpEndpoint(address));
            }

            foreach (var address in acct)
            {
                acctEndpoints.Add(new UdpEndpoint(address));
            }
        }
        catch
        {
            foreach (var endpoint in authEndpoints.Concat(acctEndpoints))
            {
                endpoint.Dispose();
            }

            throw;
        }

        return new ListenSockets(authEndpoints, acctEndpoints);
    }

    public void Dispose()
    {
        foreach (var endpoint in Auth.Concat(Acct))
        {
            endpoint.Dispose();
        }
    }
}
