using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailBench;

/// <summary>
/// A loopback SMTP sink that accepts and discards every message. It advertises PIPELINING and answers all the
/// commands of one read with one write, and counts how many reads carried MAIL FROM together with RCPT TO (proof the
/// client pipelines).
/// </summary>
internal sealed class SmtpSink
{
    private static readonly byte[] s_greeting = "220 sink ESMTP\r\n"u8.ToArray();
    private readonly TcpListener _listener;
    private long _messages;
    private long _pipelinedReads;
    private long _connections;

    public SmtpSink(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public long Messages => Interlocked.Read(ref _messages);

    public long PipelinedReads => Interlocked.Read(ref _pipelinedReads);

    public long Connections => Interlocked.Read(ref _connections);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(cancellationToken);
            socket.NoDelay = true;
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => SessionAsync(socket, cancellationToken), cancellationToken);
        }
    }

    private async Task SessionAsync(Socket socket, CancellationToken cancellationToken)
    {
        using (socket)
        {
            var buffer = new byte[64 * 1024];
            var line = new List<byte>(256);
            var reply = new StringBuilder();
            var inData = false;
            try
            {
                await socket.SendAsync(s_greeting, cancellationToken);
                while (true)
                {
                    var read = await socket.ReceiveAsync(buffer, cancellationToken);
                    if (read == 0)
                    {
                        return;
                    }

                    var sawMail = false;
                    var sawRcpt = false;
                    var quit = false;
                    for (var i = 0; i < read; i++)
                    {
                        line.Add(buffer[i]);
                        if (buffer[i] != (byte)'\n')
                        {
                            continue;
                        }

                        var text = Encoding.ASCII.GetString(line.ToArray()).TrimEnd('\r', '\n');
                        line.Clear();
                        if (inData)
                        {
                            if (text == ".")
                            {
                                inData = false;
                                Interlocked.Increment(ref _messages);
                                reply.Append("250 2.0.0 queued\r\n");
                            }

                            continue;
                        }

                        var verb = (text.Length >= 4 ? text[..4] : text).ToUpperInvariant();
                        sawMail |= verb == "MAIL";
                        sawRcpt |= verb == "RCPT";
                        switch (verb)
                        {
                            case "EHLO":
                                reply.Append("250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n");
                                break;
                            case "DATA":
                                inData = true;
                                reply.Append("354 go ahead\r\n");
                                break;
                            case "QUIT":
                                reply.Append("221 bye\r\n");
                                quit = true;
                                break;
                            default:
                                reply.Append("250 ok\r\n");
                                break;
                        }
                    }

                    if (sawMail && sawRcpt)
                    {
                        Interlocked.Increment(ref _pipelinedReads);
                    }

                    if (reply.Length > 0)
                    {
                        await socket.SendAsync(Encoding.ASCII.GetBytes(reply.ToString()), cancellationToken);
                        reply.Clear();
                    }

                    if (quit)
                    {
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the sink stops.
            }
        }
    }
}
