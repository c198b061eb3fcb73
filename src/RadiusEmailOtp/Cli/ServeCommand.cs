using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Hosting;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Logging;
using RadiusEmailOtp.Radius.Dictionary;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// <c>serve</c>: runs the RADIUS server until SIGTERM or Ctrl-C, then finishes the requests in progress. SIGHUP reloads
/// the configuration, SIGUSR1 logs the statistics; under systemd (NOTIFY_SOCKET) it reports READY=1 once listening
/// with the store open, RELOADING=1/READY=1 around a reload, STOPPING=1, and WATCHDOG=1 when WatchdogSec asks for it.
/// </summary>
internal static class ServeCommand
{
    public static readonly CommandHelp Help = new(
        "serve",
        "[--debug | -X]",
        "Run the RADIUS server until SIGTERM or Ctrl-C; the requests in progress are answered before it exits.",
        [
            new("--debug", "also log packet-level lines: every packet received and sent with its attributes, secrets as <hidden>"),
            new("-X", "the same as --debug (radiusd's spelling)"),
        ]);

    public static async Task<int> RunAsync(CommandArgs args)
    {
        // -X as radiusd -X: debug lines, including every packet's attributes (secrets shown as <hidden>).
        var debug = args.Flag("debug") | args.ShortFlag("-X");
        args.EnsureAllUsed();

        // First of all: a SIGHUP or SIGTERM during start-up waits its turn instead of killing the process.
        using var signals = new ServiceSignals();
        var config = ConfigCommandSupport.LoadAndReport(args.ConfigPath, Console.Error);
        if (config is null)
        {
            Console.Error.WriteLine($"{args.ConfigPath}: errors found; not starting");
            return 1;
        }

        FreeRadiusLoggerProvider logProvider;
        try
        {
            // [log] destination; its Reopen() is for the SIGHUP handler (logrotate's postrotate).
            logProvider = FreeRadiusLoggerProvider.Create(config.Log, debug ? LogLevel.Debug : LogLevel.Information, TimeProvider.System, Console.Out);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot open the log file {config.Log.File}: {ex.Message}");
            return 1;
        }

        using var _ = logProvider;
        using var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(logProvider));

        using var notifier = SystemdNotifier.FromEnvironment();
        ServerHost host;
        try
        {
            host = await ServerHost.StartAsync(config, loggerFactory, TimeProvider.System);
        }
        catch (DataDirLockedException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}; not starting");
            return 1;
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

        var logger = loggerFactory.CreateLogger("radiusd");
        notifier?.Ready(Status(host));
        notifier?.StartWatchdog(TimeProvider.System);
        while (await signals.NextAsync() is var signal && signal != ServiceSignal.Stop)
        {
            switch (signal)
            {
                case ServiceSignal.Reload:
                    notifier?.Reloading();
                    // logrotate's postrotate sends SIGHUP: the [log] file is reopened whether or not the config is good.
                    logProvider.Reopen();
                    var applied = await host.ReloadAsync();
                    notifier?.Ready(applied ? Status(host) : "Reload refused (see the log); running on the previous configuration");
                    break;
                case ServiceSignal.Statistics:
                    host.LogStatistics(logger);
                    break;
                default:
                    HostLog.IgnoredSignal(logger);
                    break;
            }
        }

        notifier?.Stopping();
        await host.StopAsync(TimeSpan.FromSeconds(10));
        await host.DisposeAsync();
        return 0;
    }

    private static string Status(ServerHost host) =>
        $"Listening on {string.Join(", ", host.LocalEndPoints)}; {host.Config.Clients.Count} clients";
}
