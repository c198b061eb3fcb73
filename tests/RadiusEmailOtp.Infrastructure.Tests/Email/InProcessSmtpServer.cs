using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace RadiusEmailOtp.Infrastructure.Tests.Email;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a loopback ephemeral port, collecting what it receives. With
/// <c>holdUntilConcurrent</c> it answers no message before that many are being received at once (or 10 s passed),
/// so a test can see how many sessions a client really runs in parallel.
/// </summary>
internal sealed class InProcessSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly int _holdUntilConcurrent;
    private readonly TaskCompletionSource _enoughAtOnce = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sessions;
    private int _receiving;
    private int _maxReceiving;

    public InProcessSmtpServer(
        X509Certificate2? certificate = null, bool implicitTls = false, (string User, string Password)? credentials = null, string? refuse = null, int holdUntilConcurrent = 0)
    {
        _holdUntilConcurrent = holdUntilConcurrent;
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(builder =>
            {
                builder.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(implicitTls).AllowUnsecureAuthentication(true)
                    .AuthenticationRequired(credentials is not null);
                if (certificate is not null)
                {
                    builder.Certificate(certificate);
                }
            })
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter(refuse));
        services.Add(new DelegatingUserAuthenticator((user, password) =>
        {
            var ok = credentials is { } c && c.User == user && c.Password == password;
            if (ok)
            {
                AuthenticatedUsers.Add(user);
            }

            return ok;
        }));
        var server = new SmtpServer.SmtpServer(options, services);
        server.SessionCreated += (_, _) => Interlocked.Increment(ref _sessions);
        _running = server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    public ConcurrentBag<string> AuthenticatedUsers { get; } = [];

    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>The most messages that were being received at the same moment.</summary>
    public int MaxConcurrentMessages => Volatile.Read(ref _maxReceiving);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task ReceiveAsync(ReadOnlySequence<byte> buffer)
    {
        var now = Interlocked.Increment(ref _receiving);
        try
        {
            int max;
            while (now > (max = Volatile.Read(ref _maxReceiving)) && Interlocked.CompareExchange(ref _maxReceiving, now, max) != max)
            {
            }

            if (_holdUntilConcurrent > 0)
            {
                if (now >= _holdUntilConcurrent)
                {
                    _enoughAtOnce.TrySetResult();
                }

                // A bound, not a measurement: a client with too few sessions makes the test fail on the count, not hang.
                await Task.WhenAny(_enoughAtOnce.Task, Task.Delay(TimeSpan.FromSeconds(10)));
            }

            Messages.Enqueue(MimeMessage.Load(new MemoryStream(buffer.ToArray())));
        }
        finally
        {
            Interlocked.Decrement(ref _receiving);
        }
    }

    private sealed class Store(InProcessSmtpServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await server.ReceiveAsync(buffer);
            return SmtpResponse.Ok;
        }
    }

    private sealed class Filter(string? refuse) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(refuse is null || !string.Equals(to.AsAddress(), refuse, StringComparison.OrdinalIgnoreCase));
    }
}
