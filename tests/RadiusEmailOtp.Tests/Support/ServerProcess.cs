using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>
/// <c>radius-email-otp serve --config …</c> as a real child process, so a test can SIGKILL it. Its stdout (the log) is
/// read continuously so the pipe never fills.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, IPEndPoint endPoint)
    {
        _process = process;
        EndPoint = endPoint;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Everything the server printed so far (stdout and stderr interleaved).</summary>
    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    /// <summary>A UDP port on 127.0.0.1 that was free a moment ago: bind to port 0, read the port, close.</summary>
    public static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Starts <c>serve</c> and waits (bounded) until it answers a Status-Server.</summary>
    public static Task<ServerProcess> StartAsync(string configPath, IPEndPoint endPoint, string secret) =>
        StartAsync(CliProcess.StartInfo(Path.GetDirectoryName(configPath)!, "serve", "--config", configPath), endPoint, secret);

    /// <summary>As above, for any program start (e.g. the binary installed from the .deb); stdout and stderr must be redirected.</summary>
    public static async Task<ServerProcess> StartAsync(ProcessStartInfo info, IPEndPoint endPoint, string secret)
    {
        var server = new ServerProcess(Process.Start(info)!, endPoint);
        try
        {
            await server.WaitUntilReadyAsync(secret);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL on Linux: no shutdown code runs, whatever was in flight is cut off.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>SIGTERM, as systemd sends it: the server should finish what it has in hand and exit 0.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(string secret)
    {
        using var client = new RawRadiusClient(EndPoint);
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            var request = new RadiusPacketBuilder(RadiusCode.StatusServer, (byte)attempt)
                .BuildRequest(RawRadiusClient.NewAuthenticator(), secretBytes, withMessageAuthenticator: true);
            if (await client.ExchangeAsync(request, timeoutSeconds: 0.2) is { Length: > 0 } reply && reply[0] == (byte)RadiusCode.AccessAccept)
            {
                return;
            }
        }

        throw new TimeoutException($"the server did not answer a Status-Server within 100 tries:\n{Output}");
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
