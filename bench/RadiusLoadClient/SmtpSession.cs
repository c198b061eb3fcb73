using System.Buffers;
using System.Net.Sockets;
using System.Text;

namespace RadiusLoadClient;

/// <summary>
/// One SMTP session (RFC 5321): EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, several messages per session.
/// PIPELINING (RFC 2920) is offered: replies are buffered and flushed whenever the input buffer runs dry.
/// </summary>
internal sealed class SmtpSession
{
    private const int MaxLine = 1 << 20;
    private static readonly byte[] s_crlf = "\r\n"u8.ToArray();

    private readonly TcpClient _client;
    private readonly SmtpSink _sink;
    private readonly NetworkStream _stream;
    private readonly MemoryStream _output = new();
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public SmtpSession(TcpClient client, SmtpSink sink)
    {
        _client = client;
        _sink = sink;
        _stream = client.GetStream();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using (_client)
            {
                await SessionAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the sink stops: nothing to report for a sink.
        }
    }

    private async Task SessionAsync(CancellationToken cancellationToken)
    {
        Reply("220 sink.localhost ESMTP benchmark sink");
        var hasSender = false;
        var recipients = 0;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return;
            }

            var command = Encoding.ASCII.GetString(line.Value.Span);
            var verb = (command.Length >= 4 ? command[..4] : command).ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    Reply("250-sink.localhost\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 10485760");
                    hasSender = false;
                    recipients = 0;
                    break;
                case "HELO":
                    Reply("250 sink.localhost");
                    break;
                case "MAIL":
                    hasSender = true;
                    recipients = 0;
                    Reply("250 2.1.0 Ok");
                    break;
                case "RCPT":
                    if (!hasSender)
                    {
                        Reply("503 5.5.1 MAIL first");
                        break;
                    }

                    recipients++;
                    Reply("250 2.1.5 Ok");
                    break;
                case "DATA":
                    if (recipients == 0)
                    {
                        Reply("554 5.5.1 No valid recipients");
                        break;
                    }

                    Reply("354 End data with <CR><LF>.<CR><LF>");
                    var message = await ReadDataAsync(cancellationToken);
                    if (message is null)
                    {
                        return;
                    }

                    var number = await _sink.StoreAsync(message.WrittenMemory, cancellationToken);
                    Reply($"250 2.0.0 Ok: queued as {number}");
                    hasSender = false;
                    recipients = 0;
                    break;
                case "RSET":
                    hasSender = false;
                    recipients = 0;
                    Reply("250 2.0.0 Ok");
                    break;
                case "NOOP":
                    Reply("250 2.0.0 Ok");
                    break;
                case "QUIT":
                    Reply("221 2.0.0 Bye");
                    await FlushAsync(cancellationToken);
                    return;
                default:
                    Reply("502 5.5.2 Command not recognized");
                    break;
            }
        }
    }

    // RFC 5321 §4.5.2: a line starting with a dot had one more dot added by the sender; "." alone ends the data.
    private async Task<ArrayBufferWriter<byte>?> ReadDataAsync(CancellationToken cancellationToken)
    {
        var message = new ArrayBufferWriter<byte>(2048);
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return null;
            }

            var span = line.Value.Span;
            if (span.Length == 1 && span[0] == (byte)'.')
            {
                return message;
            }

            message.Write(span.Length > 0 && span[0] == (byte)'.' ? span[1..] : span);
            message.Write(s_crlf);
        }
    }

    private void Reply(string text)
    {
        _output.Write(Encoding.ASCII.GetBytes(text));
        _output.Write(s_crlf);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_output.Length == 0)
        {
            return;
        }

        await _stream.WriteAsync(_output.GetBuffer().AsMemory(0, (int)_output.Length), cancellationToken);
        _output.SetLength(0);
    }

    /// <summary>The next line without its CRLF (a bare LF also ends a line), or null at end of stream.</summary>
    private async Task<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == (byte)'\r')
                {
                    length--;
                }

                var line = _buffer.AsMemory(_start, length).ToArray();
                _start = newline + 1;
                return line;
            }

            // The input ran dry: answer everything pipelined so far before waiting for more.
            await FlushAsync(cancellationToken);
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= MaxLine)
                {
                    throw new IOException("line too long");
                }

                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            _end += read;
        }
    }
}
