using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Logging;

/// <summary>
/// Sends each line as one RFC 3164 datagram to the local syslog socket (<c>/dev/log</c>, AF_UNIX datagram), as
/// syslog(3) does: <c>&lt;PRI&gt;Mmm dd hh:mm:ss radius-email-otp[PID]: message</c>. rsyslog, syslog-ng and journald all
/// read this form. A socket that is missing or full drops the line; the next one tries to connect again.
/// </summary>
internal sealed class SyslogLogSink : ILogSink
{
    public const string DefaultSocketPath = "/dev/log";

    private const string Tag = "radius-email-otp";

    // A datagram larger than this may be refused by the socket's buffer; syslog daemons cut long lines anyway.
    private const int MaxDatagram = 8192;

    private readonly string _socketPath;
    private readonly int _facility;
    private readonly TimeProvider _time;
    private readonly int _pid = Environment.ProcessId;
    private Socket? _socket;

    public SyslogLogSink(int facility, TimeProvider time, string socketPath = DefaultSocketPath)
    {
        _facility = facility;
        _time = time;
        _socketPath = socketPath;
    }

    public void Write(LogLevel level, string line)
    {
        var now = _time.GetLocalNow();
        var header = string.Create(
            CultureInfo.InvariantCulture,
            $"<{(_facility * 8) + SyslogSeverity.Of(level)}>{now:MMM} {now.Day,2} {now:HH:mm:ss} {Tag}[{_pid}]: ");
        try
        {
            // One datagram per line: a packet dump (serve --debug) becomes one syslog line per attribute.
            foreach (var part in line.Split('\n'))
            {
                var bytes = Encoding.UTF8.GetBytes(header + part);
                _socket ??= Connect();
                _socket.Send(bytes.AsSpan(0, Math.Min(bytes.Length, MaxDatagram)), SocketFlags.None);
            }
        }
        catch (SocketException)
        {
            _socket?.Dispose();
            _socket = null;
        }
    }

    public void Flush()
    {
    }

    public void Reopen()
    {
    }

    public void Dispose() => _socket?.Dispose();

    private Socket Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(_socketPath));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
