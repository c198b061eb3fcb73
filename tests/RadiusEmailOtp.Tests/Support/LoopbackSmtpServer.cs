using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MimeKit;
using SmtpServer;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>
/// A real SMTP server (the SmtpServer package) on 127.0.0.1, port chosen by the kernel, keeping every mail it
/// accepts. Same pattern as the Infrastructure tests' server, without TLS or AUTH: the end-to-end tests need routing.
/// </summary>
internal sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Store _store;
    private readonly Task _running;
    private readonly Sessions _sessions;

    private LoopbackSmtpServer(CancellationTokenSource stop, Store store, Task running, int port, Sessions sessions)
    {
        _stop = stop;
        _store = store;
        _running = running;
        Port = port;
        _sessions = sessions;
    }

    public int Port { get; }

    /// <summary>SMTP sessions that ended (the client sent QUIT or closed the connection).</summary>
    public int CompletedSessions => Volatile.Read(ref _sessions.Completed);

    /// <summary>Every mail accepted so far, in arrival order.</summary>
    public IReadOnlyCollection<MimeMessage> Messages => _store.Messages;

    public static async Task<LoopbackSmtpServer> StartAsync()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)))
            .Build();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var store = new Store();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        services.Add(listeners);
        var stop = new CancellationTokenSource();
        var smtp = new SmtpServer.SmtpServer(options, services);
        var sessions = new Sessions();
        smtp.SessionCompleted += (_, _) => Interlocked.Increment(ref sessions.Completed);
        var running = smtp.StartAsync(stop.Token);
        var port = await started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        return new LoopbackSmtpServer(stop, store, running, port, sessions);
    }

    /// <summary>
    /// A loopback TCP port that refuses every connection: the socket is bound (so nobody else gets the port) but never
    /// listens. Dispose the socket at the end of the test.
    /// </summary>
    public static Socket ReserveDeadPort(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    /// <summary>
    /// A loopback port whose connections are completed by the kernel but never greeted: an SMTP server that hangs.
    /// Dispose the listener at the end of the test.
    /// </summary>
    public static TcpListener StartSilentListener(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    /// <summary>The next mail not yet taken by an earlier call; fails the test when none arrives in <paramref name="timeout"/>.</summary>
    public async Task<MimeMessage> NextMailAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _store.Arrivals.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no mail arrived at the SMTP server on port {Port} within {timeout.TotalSeconds} s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // Stopped (or stuck on a client that never hangs up; the process ends it).
        }

        _stop.Dispose();
    }

    private sealed class Sessions
    {
        public int Completed;
    }

    private sealed class Store : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public Channel<MimeMessage> Arrivals { get; } = Channel.CreateUnbounded<MimeMessage>();

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var message = MimeMessage.Load(new MemoryStream(buffer.ToArray()));
            Messages.Enqueue(message);
            Arrivals.Writer.TryWrite(message);
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
