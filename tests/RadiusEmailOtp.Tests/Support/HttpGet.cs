using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>One raw HTTP/1.1 exchange over TCP, for the metrics endpoint (exact request bytes, any method).</summary>
internal static class HttpGet
{
    /// <summary>Sends <c>METHOD path</c> and returns the status code and body; the server closes the connection after one answer.</summary>
    public static async Task<(int Status, string Headers, string Body)> SendAsync(IPEndPoint endPoint, string path, string method = "GET")
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(endPoint, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.1\r\nHost: localhost\r\n\r\n"), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync(timeout.Token);
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw new IOException($"the server closed the connection without a complete response ({response.Length} bytes)");
        }

        var headers = response[..split];
        var status = int.Parse(headers.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, headers, response[(split + 4)..]);
    }
}
