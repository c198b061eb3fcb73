using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Server;

namespace RadiusEmailOtp.Tests.Server;

/// <summary>A started <see cref="RadiusServer"/> on a loopback port chosen by the kernel, with one client "localhost" (secret testing123).</summary>
internal static class LoopbackRadiusServer
{
    public static readonly byte[] Secret = Encoding.UTF8.GetBytes("testing123");

    public static ServerOptions DefaultOptions { get; } = new(200, TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

    public static RadiusServer Start(
        IAccessRequestHandler handler,
        ServerOptions? options = null,
        TimeProvider? time = null,
        ILogger? logger = null,
        BlastRadiusPolicy requireMa = BlastRadiusPolicy.Yes)
    {
        var client = new ClientSettings(
            "localhost", IPNetwork.Parse("127.0.0.1/32"), Secret, requireMa, BlastRadiusPolicy.Auto, ChallengeMode.Challenge, "test:1");
        var server = new RadiusServer(
            [new IPEndPoint(IPAddress.Loopback, 0)],
            options ?? DefaultOptions,
            new ClientRegistry([client]),
            handler,
            time ?? TimeProvider.System,
            logger ?? NullLogger.Instance);
        server.Start();
        return server;
    }
}
