using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace RadiusLoadClient;

/// <summary>
/// Load client for RadiusEmailOtp and FreeRADIUS. Modes:
/// <c>pin</c>, <c>otp</c>, <c>pap</c> (closed loop, --parallel in flight), <c>storm</c> (open loop at --rate),
/// <c>smtp-sink</c> (a loopback SMTP server storing .eml files) and <c>free-port udp|tcp</c>.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: RadiusLoadClient MODE [--option value ...]
          pin    --server H:P --secret S --users N [--prefix bench --first 1 --password pin{0}] [--parallel 64 --timeout 5]
                 [--state-file F] [--mail-dir D --mail-wait 30 --mail-quiet 5] [--label L] [--result F]
                 [--warmup N]  (N Status-Server round trips before the timed step) [--server-pid PID] (report its CPU)
          otp    --state-file F --mail-dir D (same user options; password = the newest OTP mailed to the user, plus State)
          pap    --password secret{0} [--repeat 1] [--warmup N]  (N untimed Access-Requests first)
          storm  --rate 1000 --window 30 [--sockets 8] [--mail-dir D] [--warmup N]
          smtp-sink --listen 127.0.0.1:0 --mail-dir D [--port-file F] [--max-seconds 3600]
          free-port udp|tcp
        One timeout (--timeout; the window in storm), no retransmits: no verified reply by then = unanswered.
        """;

    public static async Task<int> Main(string[] args)
    {
        try
        {
            var options = LoadOptions.Parse(args);
            return options.Mode switch
            {
                "pin" => await LoadCommands.PinAsync(options),
                "otp" => await LoadCommands.OtpAsync(options),
                "pap" => await LoadCommands.PapAsync(options),
                "storm" => await LoadCommands.StormAsync(options),
                "smtp-sink" => await SinkAsync(options),
                "free-port" => FreePort(options),
                "help" or "--help" => Help(),
                _ => throw new UsageException($"unknown mode \"{options.Mode}\""),
            };
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"RadiusLoadClient: {ex.Message}\n{Usage}");
            return 2;
        }
    }

    private static int Help()
    {
        Console.Out.WriteLine(Usage);
        return 0;
    }

    private static async Task<int> SinkAsync(LoadOptions options)
    {
        var listen = options.EndPoint("listen", "127.0.0.1:0");
        var directory = options.Required("mail-dir");
        var portFile = options.Optional("port-file");
        var maxSeconds = options.Int("max-seconds", 3600, 1, 86_400);
        options.EnsureAllUsed();
        if (!IPAddress.IsLoopback(listen.Address))
        {
            throw new UsageException("the sink listens on a loopback address only");
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(maxSeconds));
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sink = new SmtpSink(listen, directory);
        if (portFile is not null)
        {
            // Written under another name and renamed: whoever waits for the file reads a whole number.
            await File.WriteAllTextAsync(portFile + ".tmp", sink.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture));
            File.Move(portFile + ".tmp", portFile, overwrite: true);
        }

        Console.Out.WriteLine($"smtp sink listening on {sink.LocalEndPoint}, storing into {directory}");
        await sink.RunAsync(stop.Token);
        Console.Out.WriteLine($"smtp sink: {sink.Messages} messages in {sink.Sessions} sessions");
        return 0;
    }

    private static int FreePort(LoadOptions options)
    {
        options.EnsureAllUsed();
        var kind = options.Positional.Count == 1 ? options.Positional[0] : throw new UsageException("free-port needs udp or tcp");
        using var socket = kind switch
        {
            "udp" => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp),
            "tcp" => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp),
            _ => throw new UsageException("free-port needs udp or tcp"),
        };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Console.Out.WriteLine(((IPEndPoint)socket.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture));
        return 0;
    }
}
