using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// The SMTPEmailProvider of the seed, on MailKit. One connected (and authenticated) client is kept and reused across
/// mails behind a lock, so a burst of logins pays one TLS handshake; when the server has dropped that idle connection,
/// the send fails fast, and we reconnect once and retry.
/// </summary>
public sealed class SmtpEmailProvider : IEmailProvider, IAsyncDisposable
{
    private readonly SmtpProviderSettings _settings;
    private readonly ProviderTimeout _timeout;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly X509Certificate2Collection _trustAnchors = [];
    private readonly X509Certificate2? _clientCertificate;
    private SmtpClient? _client;

    public SmtpEmailProvider(string name, SmtpProviderSettings settings, ProviderTimeout timeout, ILogger logger)
    {
        Name = name;
        _settings = settings;
        _timeout = timeout;
        _logger = logger;
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
    public int ConnectCount { get; private set; }

    public async Task<ProviderSendResult> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var reused = _client is { IsConnected: true };
            try
            {
                var reply = await SendOnceAsync(message, cancellationToken);
                return new ProviderSendResult(ProviderSendOutcome.Accepted, reply, null, Stopwatch.GetElapsedTime(started));
            }
            catch (Exception ex) when (reused && SmtpErrorClassifier.IsDroppedConnection(ex) && !cancellationToken.IsCancellationRequested)
            {
                EmailLog.Reconnecting(_logger, Name);
                DiscardClient();
                var reply = await SendOnceAsync(message, cancellationToken);
                return new ProviderSendResult(ProviderSendOutcome.Accepted, reply, null, Stopwatch.GetElapsedTime(started));
            }
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            DiscardClient();
            var (outcome, reply, error) = SmtpErrorClassifier.Classify(ex);
            return new ProviderSendResult(outcome, reply, error, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_client is { IsConnected: true })
            {
                try
                {
                    using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await _client.DisconnectAsync(true, quit.Token);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or MailKit.ProtocolException)
                {
                    // Closing anyway.
                }
            }

            DiscardClient();
            _clientCertificate?.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> SendOnceAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var client = _client is { IsConnected: true } ? _client : await ConnectAsync(cancellationToken);
        var sender = MailboxAddress.Parse(message.From.Mailboxes.First().Address);
        var recipients = message.To.Mailboxes.Select(m => new MailboxAddress(null, m.Address)).ToList();
        return await client.SendAsync(message, sender, recipients, cancellationToken);
    }

    private async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        DiscardClient();
        // No protocol logger: it would record the AUTH exchange, and with it SMTP_PASSWORD.
        var client = new SmtpClient
        {
            Timeout = (int)_timeout.Read.TotalMilliseconds,
            // A private CA (CA_FILE) rarely publishes revocation lists; the chain is still checked against it.
            CheckCertificateRevocation = _settings.CaFile is null,
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

        var security = _settings.UseSsl ? SecureSocketOptions.SslOnConnect
            : _settings.StartTls ? SecureSocketOptions.StartTls
            : SecureSocketOptions.None;
        try
        {
            // The connect timeout covers TCP, greeting, EHLO, TLS and AUTH: everything before the mail itself.
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connect.CancelAfter(_timeout.Connect);
            ConnectCount++;
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

        _client = client;
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

    private void DiscardClient()
    {
        _client?.Dispose();
        _client = null;
    }
}
