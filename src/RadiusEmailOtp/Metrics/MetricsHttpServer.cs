using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Metrics;

/// <summary>
/// A deliberately small HTTP/1.1 server for <c>GET /metrics</c> and <c>GET /healthz</c> on a TcpListener: one request
/// per connection (Connection: close), a request head of at most 8 KiB read within 5 s, at most 16 connections at
/// once (more are closed at once), only GET. Enough for Prometheus and a load balancer's health check, and
/// nothing a port scan can hold open.
/// </summary>
internal sealed class MetricsHttpServer : IAsyncDisposable
{
    private const int MaxRequestHead = 8192;
    private const int MaxConnections = 16;
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpListener _listener;
    private readonly Func<CancellationToken, Task<string>> _metrics;
    private readonly Func<CancellationToken, Task<bool>> _health;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConnections, MaxConnections);
    private readonly Task _accepting;

    private MetricsHttpServer(TcpListener listener, Func<CancellationToken, Task<string>> metrics, Func<CancellationToken, Task<bool>> health, ILogger logger)
    {
        _listener = listener;
        _metrics = metrics;
        _health = health;
        _logger = logger;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Binds (throws SocketException when the address is taken) and starts accepting.</summary>
    public static MetricsHttpServer Start(IPEndPoint endPoint, Func<CancellationToken, Task<string>> metrics, Func<CancellationToken, Task<bool>> health, ILogger logger)
    {
        var listener = new TcpListener(endPoint);
        listener.Start(backlog: 32);
        return new MetricsHttpServer(listener, metrics, health, logger);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            if (!_slots.Wait(0))
            {
                client.Dispose();
                continue;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            using (client)
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                timeout.CancelAfter(s_requestTimeout);
                var stream = client.GetStream();
                var (status, contentType, body) = await AnswerAsync(await ReadRequestLineAsync(stream, timeout.Token).ConfigureAwait(false), timeout.Token).ConfigureAwait(false);
                var bytes = Encoding.UTF8.GetBytes(body);
                var head = $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n"
                    + (status.StartsWith("405", StringComparison.Ordinal) ? "Allow: GET\r\n" : string.Empty) + "\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token).ConfigureAwait(false);
                await stream.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A client that went away or was too slow: nothing to answer.
        }
        catch (Exception ex)
        {
            MetricsLog.RequestFailed(_logger, ex);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<(string Status, string ContentType, string Body)> AnswerAsync(string? requestLine, CancellationToken cancellationToken)
    {
        const string text = "text/plain; charset=utf-8";
        var parts = requestLine?.Split(' ');
        if (parts is not [var method, var target, var version] || !version.StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return ("400 Bad Request", text, "bad request\n");
        }

        if (method != "GET")
        {
            return ("405 Method Not Allowed", text, "only GET\n");
        }

        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = query >= 0 ? target[..query] : target;
        switch (path)
        {
            case "/metrics":
                return ("200 OK", PrometheusExporter.ContentType, await _metrics(cancellationToken).ConfigureAwait(false));
            case "/healthz":
                return await _health(cancellationToken).ConfigureAwait(false)
                    ? ("200 OK", text, "ok\n")
                    : ("503 Service Unavailable", text, "unhealthy: not listening or the token store does not answer\n");
            default:
                return ("404 Not Found", text, "not found; try /metrics or /healthz\n");
        }
    }

    /// <summary>The request line, once the whole head (up to the blank line) is in; null when it is too long or incomplete.</summary>
    private static async Task<string?> ReadRequestLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestHead];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
            var head = Encoding.ASCII.GetString(buffer, 0, length);
            var end = head.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                end = head.IndexOf("\n\n", StringComparison.Ordinal);
            }

            if (end >= 0)
            {
                var firstLine = head.IndexOf('\n', StringComparison.Ordinal);
                return head[..firstLine].TrimEnd('\r');
            }
        }

        return null;
    }
}
