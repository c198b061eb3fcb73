using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace RadiusEmailOtp.Infrastructure.Tests.Email;

/// <summary>A minimal hand-written SMTP peer on loopback for misbehaviour the real server cannot show.</summary>
internal sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ScriptedBehaviour _behaviour;
    private readonly X509Certificate2? _certificate;
    private int _connections;
    private int _messages;
    private int _quits;

    public ScriptedSmtpServer(ScriptedBehaviour behaviour, X509Certificate2? implicitTlsCertificate = null)
    {
        _behaviour = behaviour;
        _certificate = implicitTlsCertificate;
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public int Messages => Volatile.Read(ref _messages);

    /// <summary>Sessions the client closed politely (QUIT).</summary>
    public int Quits => Volatile.Read(ref _quits);

    public X509Certificate? ClientCertificate { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var sessions = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }

            var number = Interlocked.Increment(ref _connections);
            sessions.Add(Task.Run(() => SessionAsync(client, number)));
        }

        await Task.WhenAll(sessions).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task SessionAsync(TcpClient client, int number)
    {
        using (client)
        {
            try
            {
                if (_behaviour == ScriptedBehaviour.Silent)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }

                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var ssl = new SslStream(stream, false, (_, _, _, _) => true);
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate, ClientCertificateRequired = true }, _stop.Token);
                    ClientCertificate = ssl.RemoteCertificate;
                    stream = ssl;
                }

                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 scripted ESMTP");
                var mailFroms = 0;
                for (var lines = 0; lines < 10_000; lines++)
                {
                    var line = await reader.ReadLineAsync(_stop.Token);
                    if (line is null)
                    {
                        return;
                    }

                    var verb = line.Split(' ')[0].ToUpperInvariant();
                    if (verb == "DATA")
                    {
                        if (_behaviour == ScriptedBehaviour.DropAfterData)
                        {
                            return;
                        }

                        await writer.WriteLineAsync("354 go ahead");
                        for (var body = 0; body < 10_000 && await reader.ReadLineAsync(_stop.Token) is { } data && data != "."; body++)
                        {
                        }

                        var queued = Interlocked.Increment(ref _messages);
                        if (_behaviour == ScriptedBehaviour.DropAfterFinalDot)
                        {
                            return;
                        }

                        if (_behaviour == ScriptedBehaviour.DropAfterQueueingSecondMessage && queued == 2)
                        {
                            // The mail is queued for delivery, but the 250 never reaches the client.
                            return;
                        }

                        await writer.WriteLineAsync("250 2.0.0 queued as scripted");
                        if (_behaviour == ScriptedBehaviour.CloseFirstConnectionWhenIdle && number == 1)
                        {
                            // Like a server's idle timeout: the client still believes the connection is open.
                            return;
                        }
                    }
                    else if (verb == "MAIL" && _behaviour == ScriptedBehaviour.DeferSecondMailFromOnFirstConnection && number == 1 && ++mailFroms == 2)
                    {
                        // Like a server's messages-per-connection limit, lower than the client's.
                        await writer.WriteLineAsync("452 4.3.2 too many messages on this connection");
                    }
                    else
                    {
                        if (verb == "QUIT")
                        {
                            Interlocked.Increment(ref _quits);
                        }

                        await writer.WriteLineAsync(verb switch
                        {
                            "EHLO" => "250 scripted",
                            "QUIT" => "221 bye",
                            _ => "250 ok",
                        });
                        if (verb == "QUIT")
                        {
                            return;
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                // The client went away or the test ended.
            }
        }
    }
}
