using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RadiusLoadClient;

/// <summary>
/// A loopback SMTP server that accepts every mail and stores it as <c>NNNNNNNN.eml</c> (written under a hidden name,
/// then renamed, so a reader never sees half a mail). No TLS, no AUTH, no relaying anywhere: a sink for benchmarks.
/// </summary>
internal sealed class SmtpSink : IDisposable
{
    private readonly TcpListener _listener;
    private readonly string _directory;
    private long _messages;
    private long _sessions;

    public SmtpSink(IPEndPoint listen, string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        _listener = new TcpListener(listen);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start(512);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public long Messages => Interlocked.Read(ref _messages);

    public long Sessions => Interlocked.Read(ref _sessions);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Interlocked.Increment(ref _sessions);
            client.NoDelay = true;
            _ = Task.Run(() => new SmtpSession(client, this).RunAsync(cancellationToken), CancellationToken.None);
        }
    }

    /// <summary>Stores one message as received after dot-unstuffing; returns its queue number.</summary>
    public async Task<long> StoreAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _messages);
        var name = number.ToString("D8", CultureInfo.InvariantCulture);
        var temp = Path.Combine(_directory, "." + name + ".tmp");
        await File.WriteAllBytesAsync(temp, message, cancellationToken);
        File.Move(temp, Path.Combine(_directory, name + ".eml"));
        return number;
    }

    public void Dispose() => _listener.Dispose();
}
