using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MimeKit;
using RadiusEmailOtp.Otp.Email;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// Composes the OTP mail for each provider of the route and tries them in order until one accepts it. Transient and
/// permanent failures both move on to the next provider (a permanent one is logged with the server's reply).
/// An empty route means the default provider.
/// </summary>
internal sealed class OtpMailSender : IOtpMailSender
{
    private readonly IReadOnlyDictionary<string, ProviderEntry> _providers;
    private readonly string _defaultProvider;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public OtpMailSender(IReadOnlyDictionary<string, ProviderEntry> providers, string defaultProvider, ILogger logger, TimeProvider time)
    {
        _providers = providers;
        _defaultProvider = defaultProvider;
        _logger = logger;
        _time = time;
    }

    public async Task<MailDeliveryResult> SendAsync(OtpMailRequest request, EmailRoute route, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var names = route.Providers.Count == 0 ? [_defaultProvider] : route.Providers;
        string? provider = null, messageId = null, reply = null, error = "no e-mail provider on the route exists";
        var tried = 0;
        foreach (var name in names)
        {
            if (!_providers.TryGetValue(name, out var entry))
            {
                EmailLog.UnknownProvider(_logger, name);
                continue;
            }

            tried++;
            provider = name;
            MimeMessage message;
            try
            {
                message = OtpMailComposer.Compose(request, route, entry.Mail, entry.Template, _time.GetUtcNow());
            }
            catch (Exception ex) when (ex is FormatException or ParseException)
            {
                EmailLog.ComposeFailed(_logger, "-", ex.Message);
                error = $"the mail could not be composed: {ex.Message}";
                continue;
            }

            messageId = message.MessageId ?? "-";
            var result = await entry.Provider.SendAsync(message, cancellationToken);
            reply = result.Reply;
            if (result.Accepted)
            {
                EmailLog.MailAccepted(_logger, name, messageId ?? "-", (long)result.Duration.TotalMilliseconds, result.Reply);
                return new MailDeliveryResult(true, name, messageId, result.Reply, null, Stopwatch.GetElapsedTime(started));
            }

            error = $"{result.Outcome.ToString().ToLowerInvariant()}: {result.Error}";
            if (result.Outcome == ProviderSendOutcome.Unknown)
            {
                // The mail may be on its way: the next provider would make it two codes. The challenge stays answerable.
                EmailLog.MailOutcomeUnknown(_logger, name, messageId ?? "-", (long)result.Duration.TotalMilliseconds, result.Error);
                return new MailDeliveryResult(false, name, messageId, null, error, Stopwatch.GetElapsedTime(started)) { Unknown = true };
            }

            EmailLog.MailFailed(_logger, name, messageId ?? "-", result.Outcome, (long)result.Duration.TotalMilliseconds, result.Error + (result.Reply is null ? string.Empty : $" (server: {result.Reply})"));
        }

        EmailLog.AllProvidersFailed(_logger, messageId ?? "-", tried);
        return new MailDeliveryResult(false, provider, messageId, reply, error, Stopwatch.GetElapsedTime(started));
    }
}
