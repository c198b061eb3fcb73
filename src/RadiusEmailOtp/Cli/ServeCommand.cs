using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Hosting;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Logging;
using RadiusEmailOtp.Radius.Dictionary;

namespace RadiusEmailOtp.Cli;

/// <summary><c>serve</c>: runs the RADIUS server until SIGTERM or Ctrl-C, then finishes the requests in progress.</summary>
internal static class ServeCommand
{
    public static readonly CommandHelp Help = new(
        "serve",
        "[--debug]",
        "Run the RADIUS server until SIGTERM or Ctrl-C; the requests in progress are answered before it exits.",
        [new("--debug", "also log packet-level lines (each reply sent, each retransmit seen)")]);

    public static async Task<int> RunAsync(CommandArgs args)
    {
        var debug = args.Flag("debug");
        args.EnsureAllUsed();
        var config = ConfigCommandSupport.LoadAndReport(args.ConfigPath, Console.Error);
        if (config is null)
        {
            Console.Error.WriteLine($"{args.ConfigPath}: errors found; not starting");
            return 1;
        }

        using var logProvider = new FreeRadiusLoggerProvider(Console.Out, debug ? LogLevel.Debug : LogLevel.Information, TimeProvider.System);
        using var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(logProvider));
        ServerHost host;
        try
        {
            host = await ServerHost.StartAsync(config, loggerFactory, TimeProvider.System);
        }
        catch (StorageException ex)
        {
            Console.Error.WriteLine($"error: storage: {ex.Message}");
            return 1;
        }
        catch (DictionaryException ex)
        {
            Console.Error.WriteLine($"error: dictionary: {ex.Message}");
            return 1;
        }
        catch (SocketException ex)
        {
            Console.Error.WriteLine($"error: cannot listen on {string.Join(", ", config.Server.Listen)}: {ex.Message}");
            return 1;
        }
        catch (Exception ex)
        {
            // Anything else (a certificate or template file changed since the config was checked): one line, no trace.
            Console.Error.WriteLine(CommandLine.ErrorLine("serve", ex));
            return 1;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        await stop.Task;
        await host.StopAsync(TimeSpan.FromSeconds(10));
        await host.DisposeAsync();
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }
}
