using System.Net;
using NUnit.Framework;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.EndToEnd;

/// <summary><c>serve</c> as a real process: start-up failures, and a graceful stop on SIGTERM.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ServeProcessTests
{
    [Test]
    public async Task Sigterm_answers_the_request_in_progress_and_exits_cleanly()
    {
        using var dir = new TempDirectory();
        var endPoint = new IPEndPoint(IPAddress.Loopback, ServerProcess.FreeLoopbackPort());
        // A long reject_delay keeps the Access-Reject "in progress" while the signal arrives.
        var config = WriteConfig(dir, endPoint, "reject_delay = 5");
        using var server = await ServerProcess.StartAsync(config, endPoint, "testing123");
        using var client = new RawRadiusClient(endPoint);
        await client.SendAsync(RawRadiusClient.AccessRequest(1, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234"));
        await Task.Delay(300);

        var exitCode = await server.TerminateAsync(TimeSpan.FromSeconds(15));
        var reply = await client.ReceiveAsync(TimeSpan.FromSeconds(2));

        Assert.That(exitCode, Is.Zero, server.Output);
        Assert.That(reply, Is.Not.Null, "the request in progress is answered before the process exits");
        RadiusPacketReader.TryRead(reply, 200, out var packet);
        Assert.That(packet!.Code, Is.EqualTo(RadiusCode.AccessReject));
        Assert.That(server.Output, Does.Contain("Signalled to terminate").And.Contain("Exiting normally"));
    }

    [Test]
    public async Task A_taken_port_stops_the_server_with_a_clear_error()
    {
        using var dir = new TempDirectory();
        using var taken = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var endPoint = (IPEndPoint)taken.Client.LocalEndPoint!;
        var config = WriteConfig(dir, endPoint, "reject_delay = 0");

        var (exit, _, stderr) = await CliProcess.RunAsync(dir.Path, "serve", "--config", config);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain($"cannot listen on {endPoint}"));
    }

    [Test]
    public async Task A_config_error_stops_the_server_before_it_listens()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("config.toml");
        File.WriteAllText(path, "[server]\nreject_delay = \"soon\"\n");

        var (exit, _, stderr) = await CliProcess.RunAsync(dir.Path, "serve", "--config", path);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain($"{path}:2: error:").And.Contain("not starting"));
    }

    private static string WriteConfig(TempDirectory dir, IPEndPoint endPoint, string serverKeys)
    {
        var path = dir.Combine("config.toml");
        File.WriteAllText(path, $"""
            [server]
            listen = ["{endPoint}"]
            dictionary = "{RepoPaths.Dictionary}"
            data_dir = "{dir.Combine("data")}"
            {serverKeys}

            [[client]]
            name = "localhost"
            ipaddr = "127.0.0.1"
            secret = "testing123"
            """);
        return path;
    }
}
