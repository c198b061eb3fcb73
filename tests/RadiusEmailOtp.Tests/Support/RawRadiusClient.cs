using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>A minimal RADIUS client on a real UDP socket, for what radclient cannot do (exact bytes, chosen source address, bad MA).</summary>
internal sealed class RawRadiusClient : IDisposable
{
    private readonly UdpClient _udp;
    private readonly IPEndPoint _server;

    public RawRadiusClient(IPEndPoint server, string bindAddress = "127.0.0.1")
    {
        _server = server;
        _udp = new UdpClient(new IPEndPoint(IPAddress.Parse(bindAddress), 0));
    }

    public static byte[] NewAuthenticator() => RandomNumberGenerator.GetBytes(16);

    /// <summary>An Access-Request with User-Name, hidden User-Password and, unless told otherwise, a Message-Authenticator.</summary>
    public static byte[] AccessRequest(byte id, byte[] authenticator, string secret, string user, string password, bool withMa = true, Action<RadiusPacketBuilder>? more = null)
    {
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        var builder = new RadiusPacketBuilder(RadiusCode.AccessRequest, id)
            .AddString(RadiusAttributeType.UserName, user)
            .Add(RadiusAttributeType.UserPassword, UserPassword.Hide(Encoding.UTF8.GetBytes(password), secretBytes, authenticator));
        more?.Invoke(builder);
        return builder.BuildRequest(authenticator, secretBytes, withMa);
    }

    public async Task SendAsync(byte[] datagram) => await _udp.SendAsync(datagram, _server);

    /// <summary>The next datagram, or null when none arrives within <paramref name="timeout"/>.</summary>
    public async Task<byte[]?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var result = await _udp.ReceiveAsync(cts.Token);
            return result.Buffer;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async Task<byte[]?> ExchangeAsync(byte[] datagram, double timeoutSeconds = 3)
    {
        await SendAsync(datagram);
        return await ReceiveAsync(TimeSpan.FromSeconds(timeoutSeconds));
    }

    public void Dispose() => _udp.Dispose();
}
