using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Logging;

/// <summary>The real <c>serve</c> process: journald priority prefixes when JOURNAL_STREAM is set, JSON lines, -X.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ServeLoggingProcessTests
{
    [Test]
    public async Task Under_journald_every_line_carries_its_syslog_priority()
    {
        using var directory = new TempDirectory();
        var (lines, exit) = await RunServeAsync(directory, "", environment: ("JOURNAL_STREAM", "8:12345"));

        Assert.That(lines, Has.Some.Match(@"^<6>\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4} [+-]\d{4} : Info: radius-email-otp \S+ starting: config "), string.Join('\n', lines));
        Assert.That(lines, Has.Some.Match(@"^<4>.* : Warning: Created a new encryption key at "));
        Assert.That(lines, Has.Some.Match(@"^<6>.* : Info: Loaded 1 clients; ready to process requests"));
        var logLines = lines.Where(l => l.Contains(" : ", StringComparison.Ordinal)).ToList();
        Assert.That(logLines, Is.All.Match(@"^<[3467]>"), "journald files a line without a prefix at info");
        Assert.That(exit, Is.Zero);
    }

    [Test]
    public async Task Json_format_writes_one_parsable_object_per_line_with_the_event_fields()
    {
        using var directory = new TempDirectory();
        var (lines, _) = await RunServeAsync(directory, "[log]\nformat = \"json\"\n");

        var objects = lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.That(objects, Has.Count.GreaterThanOrEqualTo(4), string.Join('\n', lines));
        foreach (var entry in objects)
        {
            Assert.That(DateTimeOffset.TryParse(entry.GetProperty("time").GetString(), out _), Is.True);
            Assert.That(entry.GetProperty("time").GetString(), Does.Match(@"T\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$"), "ISO 8601 with offset");
        }

        var ready = objects.Single(o => o.GetProperty("message").GetString()!.StartsWith("Loaded 1 clients", StringComparison.Ordinal));
        Assert.That(ready.GetProperty("level").GetString(), Is.EqualTo("info"));
        Assert.That(ready.GetProperty("client_count").GetInt32(), Is.EqualTo(1));
        var key = objects.Single(o => o.GetProperty("message").GetString()!.StartsWith("Created a new encryption key", StringComparison.Ordinal));
        Assert.That(key.GetProperty("level").GetString(), Is.EqualTo("warning"));
        Assert.That(key.GetProperty("key_path").GetString(), Does.EndWith("encryption.key"));
    }

    [Test]
    public async Task Dash_x_prints_the_packets_it_receives()
    {
        using var directory = new TempDirectory();
        var (lines, _) = await RunServeAsync(directory, "", extraArgs: ["-X"]);
        Assert.That(lines, Has.Some.Contains("Debug: Received Status-Server Id "), string.Join('\n', lines));
        Assert.That(lines, Has.Some.EqualTo("\tMessage-Authenticator = <hidden>"));
    }

    /// <summary>Starts serve on a free port, waits until it answers a Status-Server, stops it with SIGTERM; its stdout lines.</summary>
    private static async Task<(List<string> Lines, int ExitCode)> RunServeAsync(
        TempDirectory directory, string extraToml, string[]? extraArgs = null, (string Name, string Value)? environment = null)
    {
        var port = ServerProcess.FreeLoopbackPort();
        var config = directory.Combine("config.toml");
        File.WriteAllText(config, $"""
            [server]
            listen = ["127.0.0.1:{port}"]
            dictionary = "{RepoPaths.Dictionary}"
            data_dir = "{directory.Combine("data")}"

            [[client]]
            name = "localhost"
            ipaddr = "127.0.0.1"
            secret = "testing123"

            {extraToml}
            """);
        var info = CliProcess.StartInfo(directory.Path, ["serve", "--config", config, .. extraArgs ?? []]);
        info.Environment.Remove("JOURNAL_STREAM");
        if (environment is { } env)
        {
            info.Environment[env.Name] = env.Value;
        }

        var lines = new ConcurrentQueue<string>();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        try
        {
            await WaitForStatusServerAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), process);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(timeout.Token);
            return ([.. lines], process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static async Task WaitForStatusServerAsync(System.Net.IPEndPoint endPoint, Process process)
    {
        using var client = new RawRadiusClient(endPoint);
        var secret = System.Text.Encoding.UTF8.GetBytes("testing123");
        for (var attempt = 0; attempt < 100 && !process.HasExited; attempt++)
        {
            var request = new Radius.RadiusPacketBuilder(Radius.RadiusCode.StatusServer, (byte)attempt)
                .BuildRequest(RawRadiusClient.NewAuthenticator(), secret, withMessageAuthenticator: true);
            if (await client.ExchangeAsync(request, 0.2) is { Length: > 0 })
            {
                return;
            }
        }

        Assert.Fail("serve did not answer a Status-Server");
    }
}
