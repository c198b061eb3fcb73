using System.Net.Sockets;
using System.Text;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>The service manager's end of sd_notify: a Unix datagram socket the test binds, collecting every message.</summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket;
    private readonly List<string> _received = [];

    /// <summary>Binds <paramref name="path"/> (a file path, or an abstract name when it starts with '@').</summary>
    public NotifySocket(string path)
    {
        Path = path;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path));
    }

    /// <summary>What NOTIFY_SOCKET is set to.</summary>
    public string Path { get; }

    /// <summary>Every message so far, in arrival order.</summary>
    public IReadOnlyList<string> Received => _received;

    /// <summary>Reads messages until one satisfies <paramref name="match"/> (returned) or <paramref name="timeout"/> passes (null).</summary>
    public async Task<string?> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        while (true)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            var message = Encoding.UTF8.GetString(buffer, 0, length);
            _received.Add(message);
            if (match(message))
            {
                return message;
            }
        }
    }

    /// <summary>True when the message holds the line <paramref name="assignment"/> (e.g. READY=1).</summary>
    public static bool Has(string message, string assignment) => message.Split('\n').Contains(assignment);

    public void Dispose() => _socket.Dispose();
}
