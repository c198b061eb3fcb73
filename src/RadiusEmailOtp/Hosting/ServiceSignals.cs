using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace RadiusEmailOtp.Hosting;

/// <summary>
/// The signals a service gets, turned into a queue the serve loop reads one at a time: SIGTERM and SIGINT stop,
/// SIGHUP reloads (systemd's ExecReload, logrotate), SIGUSR1 logs the statistics, SIGUSR2 is ignored. Every one of
/// them is handled, so none takes the process down with the kernel's default action (SIGHUP, SIGUSR1 and SIGUSR2
/// terminate by default). Register before the server starts: a signal that arrives during start-up waits in the queue.
/// </summary>
internal sealed class ServiceSignals : IDisposable
{
    // Linux numbers (x86-64 and arm64); PosixSignal has no names for these, raw numbers are accepted on Unix.
    private const int SigUsr1 = 10;
    private const int SigUsr2 = 12;

    private readonly Channel<ServiceSignal> _queue = Channel.CreateUnbounded<ServiceSignal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<PosixSignalRegistration> _registrations = [];

    public ServiceSignals()
    {
        Register(PosixSignal.SIGTERM, ServiceSignal.Stop);
        Register(PosixSignal.SIGINT, ServiceSignal.Stop);
        Register(PosixSignal.SIGHUP, ServiceSignal.Reload);
        if (!OperatingSystem.IsWindows())
        {
            Register((PosixSignal)SigUsr1, ServiceSignal.Statistics);
            Register((PosixSignal)SigUsr2, ServiceSignal.Ignored);
        }
    }

    /// <summary>The next signal, in arrival order.</summary>
    public ValueTask<ServiceSignal> NextAsync(CancellationToken cancellationToken = default) => _queue.Reader.ReadAsync(cancellationToken);

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void Register(PosixSignal signal, ServiceSignal meaning) =>
        _registrations.Add(PosixSignalRegistration.Create(signal, context =>
        {
            // Cancel: the default action (terminate) is not run; the serve loop decides.
            context.Cancel = true;
            _queue.Writer.TryWrite(meaning);
        }));
}
