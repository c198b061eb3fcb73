using System.Net;
using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.EndToEnd;

/// <summary>
/// <c>serve</c> as systemd runs it: signals sent with kill(1), sd_notify messages read from a socket the test binds,
/// and the data-directory lock against a second process.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ServiceProcessTests
{
    private const string Secret = "testing123";
    private const string NewSecret = "n3w-secret-for-the-nas";

    [Test]
    public async Task Sighup_refuses_a_broken_config_then_applies_a_changed_secret()
    {
        using var dir = new TempDirectory();
        var endPoint = new IPEndPoint(IPAddress.Loopback, ServerProcess.FreeLoopbackPort());
        var config = WriteConfig(dir, endPoint, Secret);
        using var server = await ServerProcess.StartAsync(config, endPoint, Secret);

        File.WriteAllText(config, File.ReadAllText(config).Replace("reject_delay = 0", "reject_delay = \"soon\"", StringComparison.Ordinal));
        await server.SignalAsync("HUP");
        Assert.That(await server.WaitForOutputAsync("still running on the previous configuration", TimeSpan.FromSeconds(20)), Is.True, server.Output);
        Assert.That(server.Output, Does.Contain($"{config}:4: error:"), "the error names the line of the offending key");
        Assert.That(await StatusServerAsync(endPoint, Secret), Is.True, "still serving with the old secret");

        WriteConfig(dir, endPoint, NewSecret);
        await server.SignalAsync("HUP");
        Assert.That(await server.WaitForOutputAsync("clients changed localhost", TimeSpan.FromSeconds(20)), Is.True, server.Output);

        Assert.That(await StatusServerAsync(endPoint, NewSecret), Is.True, "the new secret works");
        Assert.That(await StatusServerAsync(endPoint, Secret), Is.False, "the old secret stopped working");
        Assert.That(server.HasExited, Is.False);
        Assert.That(await server.TerminateAsync(TimeSpan.FromSeconds(15)), Is.Zero, server.Output);
    }

    [Test]
    public async Task Sigusr1_logs_the_statistics_and_sigusr2_is_ignored_neither_kills()
    {
        using var dir = new TempDirectory();
        var endPoint = new IPEndPoint(IPAddress.Loopback, ServerProcess.FreeLoopbackPort());
        using var server = await ServerProcess.StartAsync(WriteConfig(dir, endPoint, Secret), endPoint, Secret);

        await server.SignalAsync("USR1");
        Assert.That(await server.WaitForOutputAsync("Statistics: ", TimeSpan.FromSeconds(20)), Is.True, server.Output);
        await server.SignalAsync("USR2");
        Assert.That(await server.WaitForOutputAsync("Received SIGUSR2; ignored", TimeSpan.FromSeconds(20)), Is.True, server.Output);

        Assert.That(server.HasExited, Is.False);
        Assert.That(await StatusServerAsync(endPoint, Secret), Is.True);
        Assert.That(await server.TerminateAsync(TimeSpan.FromSeconds(15)), Is.Zero, server.Output);
    }

    [Test]
    public async Task A_second_serve_on_the_same_data_dir_is_refused_with_the_pid_before_touching_any_data()
    {
        using var dir = new TempDirectory();
        var endPoint = new IPEndPoint(IPAddress.Loopback, ServerProcess.FreeLoopbackPort());
        var config = WriteConfig(dir, endPoint, Secret);
        using var first = await ServerProcess.StartAsync(config, endPoint, Secret);
        var before = Snapshot(dir.Combine("data"));

        // Another port, so the refusal can only come from the lock and not from a taken socket.
        var secondConfig = dir.Combine("second.toml");
        File.WriteAllText(secondConfig, File.ReadAllText(config).Replace(endPoint.ToString(), $"127.0.0.1:{ServerProcess.FreeLoopbackPort()}", StringComparison.Ordinal));
        var (exit, stdout, stderr) = await CliProcess.RunAsync(dir.Path, "serve", "--config", secondConfig);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(stderr.Trim().Split('\n').Last(), Does.Contain($"PID {first.Pid}").And.Contain("not starting"));
        Assert.That(stdout, Does.Not.Contain("interrupted").And.Not.Contain("Listening"));
        Assert.That(Snapshot(dir.Combine("data")), Is.EqualTo(before), "the first server's files are as they were");
        Assert.That(await StatusServerAsync(endPoint, Secret), Is.True, "the first server is unaffected");
    }

    [Test]
    public async Task Sd_notify_ready_after_listening_watchdog_pings_reloading_and_stopping()
    {
        using var dir = new TempDirectory();
        var endPoint = new IPEndPoint(IPAddress.Loopback, ServerProcess.FreeLoopbackPort());
        var config = WriteConfig(dir, endPoint, Secret);
        using var notify = new NotifySocket(dir.Combine("notify.sock"));
        using var server = ServerProcess.Launch(config, endPoint, new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = notify.Path,
            ["WATCHDOG_USEC"] = "400000",
        });

        var ready = await notify.WaitForAsync(m => NotifySocket.Has(m, "READY=1"), TimeSpan.FromSeconds(60));
        Assert.That(ready, Is.Not.Null, server.Output);
        Assert.That(await StatusServerAsync(endPoint, Secret, tries: 1), Is.True, "READY=1 comes only once the port answers");
        Assert.That(ready, Does.Contain($"STATUS=Listening on {endPoint}"));

        var pings = 0;
        for (var i = 0; i < 3 && await notify.WaitForAsync(m => m == "WATCHDOG=1", TimeSpan.FromSeconds(10)) is not null; i++)
        {
            pings++;
        }

        Assert.That(pings, Is.EqualTo(3), "WATCHDOG=1 every WATCHDOG_USEC/2");

        var beforeReload = Environment.TickCount64;
        await server.SignalAsync("HUP");
        var reloading = await notify.WaitForAsync(m => NotifySocket.Has(m, "RELOADING=1"), TimeSpan.FromSeconds(20));
        Assert.That(reloading, Does.Match(@"(^|\n)MONOTONIC_USEC=\d+(\n|$)"));
        var monotonic = long.Parse(reloading!.Split('\n').Single(l => l.StartsWith("MONOTONIC_USEC=", StringComparison.Ordinal))[15..]);
        Assert.That(monotonic / 1000, Is.InRange(beforeReload - 5_000, Environment.TickCount64 + 5_000), "CLOCK_MONOTONIC in microseconds");
        Assert.That(await notify.WaitForAsync(m => NotifySocket.Has(m, "READY=1"), TimeSpan.FromSeconds(20)), Is.Not.Null, "READY=1 after the reload");

        var exit = server.TerminateAsync(TimeSpan.FromSeconds(15));
        Assert.That(await notify.WaitForAsync(m => NotifySocket.Has(m, "STOPPING=1"), TimeSpan.FromSeconds(20)), Is.Not.Null);
        Assert.That(await exit, Is.Zero, server.Output);
    }

    private static async Task<bool> StatusServerAsync(IPEndPoint endPoint, string secret, int tries = 3)
    {
        using var client = new RawRadiusClient(endPoint);
        for (var attempt = 0; attempt < tries; attempt++)
        {
            var authenticator = RawRadiusClient.NewAuthenticator();
            var request = new RadiusPacketBuilder(RadiusCode.StatusServer, (byte)attempt)
                .BuildRequest(authenticator, Encoding.UTF8.GetBytes(secret), withMessageAuthenticator: true);
            if (await client.ExchangeAsync(request, timeoutSeconds: 1) is { Length: > 0 } reply)
            {
                return reply[0] == (byte)RadiusCode.AccessAccept && ResponseAuthenticator.Verify(reply, authenticator, Encoding.UTF8.GetBytes(secret));
            }
        }

        return false;
    }

    // The lock file aside: .NET's File.Read* take a shared flock, which the holder's exclusive one refuses.
    private static Dictionary<string, string> Snapshot(string directory) =>
        Directory.GetFiles(directory).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)).ToDictionary(
            f => Path.GetFileName(f),
            f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    private static string WriteConfig(TempDirectory dir, IPEndPoint endPoint, string secret)
    {
        var path = dir.Combine("config.toml");
        File.WriteAllText(path, $"""
            [server]
            listen = ["{endPoint}"]
            dictionary = "{RepoPaths.Dictionary}"
            reject_delay = 0
            data_dir = "{dir.Combine("data")}"

            [[client]]
            name = "localhost"
            ipaddr = "127.0.0.1"
            secret = "{secret}"
            """);
        return path;
    }
}
