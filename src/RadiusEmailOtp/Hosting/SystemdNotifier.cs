using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace RadiusEmailOtp.Hosting;

/// <summary>
/// sd_notify(3) written out: one datagram per state change to the AF_UNIX socket named by <c>NOTIFY_SOCKET</c> (a path,
/// or an abstract name when it starts with '@'). Does nothing when the variable is absent (not started by systemd with
/// Type=notify). Written here rather than taken from Microsoft.Extensions.Hosting.Systemd, whose notifier only turns on
/// when the parent process is named systemd (hidden by ProtectProc=invisible) and which sends no WATCHDOG=1 itself.
/// Sending never throws: a service manager that went away must not stop the server.
/// </summary>
internal sealed class SystemdNotifier : IDisposable
{
    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endPoint;
    private readonly Lock _lock = new();
    private ITimer? _watchdog;
    private bool _disposed;

    private SystemdNotifier(Socket socket, UnixDomainSocketEndPoint endPoint, TimeSpan? watchdogInterval)
    {
        _socket = socket;
        _endPoint = endPoint;
        WatchdogInterval = watchdogInterval;
    }

    /// <summary>How often WATCHDOG=1 is sent: half of <c>WATCHDOG_USEC</c>, as sd_watchdog_enabled(3) advises; null: no watchdog.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>The notifier systemd asked for through the environment, or null when it asked for none.</summary>
    public static SystemdNotifier? FromEnvironment() => Create(
        Environment.GetEnvironmentVariable("NOTIFY_SOCKET"),
        Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
        Environment.GetEnvironmentVariable("WATCHDOG_PID"),
        Environment.ProcessId);

    internal static SystemdNotifier? Create(string? notifySocket, string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (string.IsNullOrEmpty(notifySocket) || (notifySocket[0] != '/' && notifySocket[0] != '@'))
        {
            // sd_notify accepts only absolute paths and abstract names (and vsock, which a RADIUS server has no use for).
            return null;
        }

        TimeSpan? interval = null;
        if (ulong.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0
            && (string.IsNullOrEmpty(watchdogPid) || watchdogPid == processId.ToString(CultureInfo.InvariantCulture)))
        {
            interval = TimeSpan.FromMicroseconds(usec / 2);
        }

        // An abstract socket name is the path with its leading '@' replaced by a NUL byte.
        var path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        return new SystemdNotifier(socket, new UnixDomainSocketEndPoint(path), interval);
    }

    /// <summary>READY=1: the sockets are bound and the store is open.</summary>
    public void Ready(string status) => Send($"READY=1\nSTATUS={status}");

    /// <summary>
    /// RELOADING=1 with the CLOCK_MONOTONIC time, which systemd 253+ needs for Type=notify-reload (Type=notify ignores it).
    /// Stopwatch reads CLOCK_MONOTONIC on Linux.
    /// </summary>
    public void Reloading() =>
        Send($"RELOADING=1\nSTATUS=Reloading the configuration\nMONOTONIC_USEC={MonotonicMicroseconds().ToString(CultureInfo.InvariantCulture)}");

    public void Stopping() => Send("STOPPING=1\nSTATUS=Finishing the requests in progress");

    public void Status(string status) => Send("STATUS=" + status);

    /// <summary>Sends WATCHDOG=1 every <see cref="WatchdogInterval"/> from now on (nothing when there is no watchdog).</summary>
    public void StartWatchdog(TimeProvider time)
    {
        if (WatchdogInterval is not { } interval)
        {
            return;
        }

        lock (_lock)
        {
            _watchdog ??= time.CreateTimer(_ => Send("WATCHDOG=1"), null, TimeSpan.Zero, interval);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _watchdog?.Dispose();
            _socket.Dispose();
        }
    }

    internal static long MonotonicMicroseconds() => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));

    private void Send(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                _socket.SendTo(bytes, SocketFlags.None, _endPoint);
            }
            catch (SocketException)
            {
                // No service manager listening (any more): nothing to tell, and nothing the server could do about it.
            }
        }
    }
}
