using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// The SMTPEmailProvider of the seed, on MailKit. Up to POOL_SIZE connected (and authenticated) sessions send in
/// parallel; idle ones are kept and reused for the next mails (MailKit pipelines MAIL FROM, RCPT TO and DATA when the
/// server offers PIPELINING), so a burst of logins pays few TLS handshakes, and one slow mail never holds up the
/// others. After MAX_MESSAGES_PER_SESSION mails a session is closed with QUIT, off the mail's path, before a server's
/// own per-connection limit refuses a mail. A reused session the server has dropped, or whose MAIL FROM it deferred with
/// a 4xx (a lower limit than ours), is replaced and the mail sent once more, but only when the failure came before the
/// server accepted MAIL FROM: after that the message may have been handed over. Waiting for a free session and connecting share one connect timeout, so a silent server makes each
/// mail fail over after about one timeout, not after every mail queued ahead of it.
/// </summary>
public sealed class SmtpEmailProvider : IEmailProvider, IAsyncDisposable
{
    private readonly SmtpProviderSettings _settings;
    private readonly ProviderTimeout _timeout;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentStack<TrackingSmtpClient> _idle = new();
    private readonly ConcurrentDictionary<Task, byte> _retiring = new();
    private readonly X509Certificate2Collection _trustAnchors = [];
    private readonly X509Certificate2? _clientCertificate;
    private int _connectCount;
    private volatile bool _disposed;

    public SmtpEmailProvider(string name, SmtpProviderSettings settings, ProviderTimeout timeout, ILogger logger)
    {
        Name = name;
        _settings = settings;
        _timeout = timeout;
        _logger = logger;
        _slots = new SemaphoreSlim(settings.PoolSize, settings.PoolSize);
        if (settings.CaFile is not null)
        {
            _trustAnchors.ImportFromPemFile(settings.CaFile);
        }

        if (settings.CertFile is not null && settings.KeyFile is not null)
        {
            // Round-trip through PKCS#12: SslStream on Windows refuses ephemeral PEM keys for client authentication.
            using var pem = X509Certificate2.CreateFromPemFile(settings.CertFile, settings.KeyFile);
            _clientCertificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        if (!settings.TlsVerify)
        {
            EmailLog.TlsVerifyDisabled(logger, name);
        }
    }

    public string Name { get; }

    /// <summary>How many connections were opened (tests check reuse with it).</summary>
    public int ConnectCount => Volatile.Read(ref _connectCount);

    public async Task<ProviderSendResult> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        TrackingSmtpClient? client = null;
        var holdsSlot = false;
        try
        {
            holdsSlot = await _slots.WaitAsync(_timeout.Connect, cancellationToken);
            if (!holdsSlot)
            {
                throw new TimeoutException($"no free connection to {_settings.Server}:{_settings.Port} within {_timeout.Connect.TotalSeconds} s (all {_settings.PoolSize} busy)");
            }

            client = TakeIdle();
            var reused = client is not null;
            client ??= await ConnectAsync(_timeout.Connect - Stopwatch.GetElapsedTime(started), cancellationToken);
            string reply;
            try
            {
                reply = await SendOnAsync(client, message, cancellationToken);
            }
            catch (Exception ex) when (reused && !client.SenderAccepted && SmtpErrorClassifier.IsWorthOneReconnect(ex) && !cancellationToken.IsCancellationRequested)
            {
                EmailLog.Reconnecting(_logger, Name);
                client.Dispose();
                client = null;
                client = await ConnectAsync(_timeout.Connect, cancellationToken);
                reply = await SendOnAsync(client, message, cancellationToken);
            }

            Keep(client);
            client = null;
            return new ProviderSendResult(ProviderSendOutcome.Accepted, reply, null, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            if (client is { MessageHandedOver: true } && ex is not MailKit.Net.Smtp.SmtpCommandException)
            {
                // No answer to the final ".": the server may have queued the mail (a real reply would be a command exception).
                return new ProviderSendResult(ProviderSendOutcome.Unknown, null, $"no reply after the mail was handed over: {ex.Message}", Stopwatch.GetElapsedTime(started));
            }

            var (outcome, reply, error) = SmtpErrorClassifier.Classify(ex);
            return new ProviderSendResult(outcome, reply, error, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            // A session that failed in any way is not trusted again: its protocol state is unknown.
            client?.Dispose();
            if (holdsSlot)
            {
                _slots.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        // Let mails in progress finish (bounded), so their sessions come back to be closed politely.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var held = 0;
        try
        {
            for (; held < _settings.PoolSize; held++)
            {
                await _slots.WaitAsync(wait.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // A mail is still stuck; its session is disposed when it ends (Keep sees _disposed).
        }

        while (_idle.TryPop(out var client))
        {
            await QuitAsync(client);
        }

        // Sessions retired after MAX_MESSAGES_PER_SESSION are still saying QUIT; each is bounded by its own timeout.
        await Task.WhenAll(_retiring.Keys);

        if (held == _settings.PoolSize)
        {
            _clientCertificate?.Dispose();
        }

        if (held > 0)
        {
            _slots.Release(held);
        }
    }

    private static async Task<string> SendOnAsync(TrackingSmtpClient client, MimeMessage message, CancellationToken cancellationToken)
    {
        var sender = MailboxAddress.Parse(message.From.Mailboxes.First().Address);
        var recipients = message.To.Mailboxes.Select(m => new MailboxAddress(null, m.Address)).ToList();
        return await client.SendTrackedAsync(message, sender, recipients, cancellationToken);
    }

    private TrackingSmtpClient? TakeIdle()
    {
        while (_idle.TryPop(out var client))
        {
            if (client.IsConnected)
            {
                return client;
            }

            client.Dispose();
        }

        return null;
    }

    private void Keep(TrackingSmtpClient client)
    {
        if (_disposed || !client.IsConnected)
        {
            client.Dispose();
            return;
        }

        if (client.MessagesSent >= _settings.MaxMessagesPerSession)
        {
            // The mail is accepted already: its reply does not wait for the QUIT round trip.
            var quitting = QuitAsync(client);
            _retiring.TryAdd(quitting, 0);
            _ = quitting.ContinueWith(static (done, retiring) => ((ConcurrentDictionary<Task, byte>)retiring!).TryRemove(done, out _), _retiring, TaskScheduler.Default);
            return;
        }

        _idle.Push(client);
    }

    private static async Task QuitAsync(TrackingSmtpClient client)
    {
        try
        {
            using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.DisconnectAsync(true, quit.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or MailKit.ProtocolException or InvalidOperationException or MailKit.Net.Smtp.SmtpCommandException)
        {
            // Closing anyway.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>A configured, unconnected client (tests inspect its TLS settings).</summary>
    internal TrackingSmtpClient CreateClient()
    {
        // No protocol logger: it would record the AUTH exchange, and with it SMTP_PASSWORD.
        var client = new TrackingSmtpClient
        {
            Timeout = (int)_timeout.Read.TotalMilliseconds,
            // Off unless TLS_CHECK_REVOCATION: an online CRL/OCSP fetch fails or hangs on the offline networks RADIUS
            // servers often sit in, and a private CA (CA_FILE) rarely publishes revocation lists. Chain and host name
            // are still verified.
            CheckCertificateRevocation = _settings.CheckRevocation,
        };
        if (!_settings.TlsVerify)
        {
            client.ServerCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (_trustAnchors.Count > 0)
        {
            client.ServerCertificateValidationCallback = ValidateWithTrustAnchors;
        }

        if (_clientCertificate is not null)
        {
            client.ClientCertificates = new X509CertificateCollection { _clientCertificate };
        }

        return client;
    }

    private async Task<TrackingSmtpClient> ConnectAsync(TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        var client = CreateClient();

        var security = _settings.UseSsl ? SecureSocketOptions.SslOnConnect
            : _settings.StartTls ? SecureSocketOptions.StartTls
            : SecureSocketOptions.None;
        try
        {
            // The connect timeout covers the wait for a free session, TCP, greeting, EHLO, TLS and AUTH: everything
            // before the mail itself.
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connect.CancelAfter(connectTimeout > TimeSpan.Zero ? connectTimeout : TimeSpan.FromMilliseconds(1));
            Interlocked.Increment(ref _connectCount);
            await client.ConnectAsync(_settings.Server, _settings.Port, security, connect.Token);
            if (_settings.User is not null)
            {
                await client.AuthenticateAsync(_settings.User, _settings.Password ?? string.Empty, connect.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new TimeoutException($"connecting to {_settings.Server}:{_settings.Port} took longer than {_timeout.Connect.TotalSeconds} s");
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return client;
    }

    // CA_FILE adds trust anchors: a chain that fails against the system roots may still end in one of ours.
    // A host name mismatch stays fatal.
    private bool ValidateWithTrustAnchors(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trustAnchors);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(leaf);
    }
}
