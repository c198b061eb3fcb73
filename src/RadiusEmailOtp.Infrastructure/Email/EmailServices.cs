using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Policies;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// Everything the e-mail path needs, built from the configuration in one call: the providers, the route selector
/// (policies) and the sender. Dispose it on shutdown to close pooled SMTP connections and the pickup providers' directory descriptors.
/// </summary>
public sealed class EmailServices : IAsyncDisposable
{
    private EmailServices(IReadOnlyDictionary<string, IEmailProvider> providers, string defaultProvider, IOtpMailSender sender, IEmailRouteSelector selector)
    {
        Providers = providers;
        DefaultProvider = defaultProvider;
        Sender = sender;
        Selector = selector;
    }

    public IReadOnlyDictionary<string, IEmailProvider> Providers { get; }

    public string DefaultProvider { get; }

    public IOtpMailSender Sender { get; }

    public IEmailRouteSelector Selector { get; }

    public static EmailServices Create(AppConfig config, ILoggerFactory loggerFactory, TimeProvider time) =>
        Create(config.EmailProviders, config.Policies, config.Email, loggerFactory, time);

    /// <summary>Builds the services; throws <see cref="InvalidOperationException"/> when a template vanished since the config was checked.</summary>
    public static EmailServices Create(
        IReadOnlyList<EmailProviderSettings> providers, IReadOnlyList<EmailPolicy> policies, EmailSettings email, ILoggerFactory loggerFactory, TimeProvider time)
    {
        var logger = loggerFactory.CreateLogger("RadiusEmailOtp.Email");
        var entries = new Dictionary<string, ProviderEntry>(StringComparer.Ordinal);
        foreach (var settings in providers)
        {
            MailTemplate? template = null;
            if (settings.Template is not null && !MailTemplateLoader.TryLoad(settings.Template, email.TemplateRoot, out template, out var error))
            {
                throw new InvalidOperationException($"e-mail provider \"{settings.Name}\": {error}");
            }

            IEmailProvider provider = settings.Kind == EmailProviderKind.Smtp
                ? new SmtpEmailProvider(settings.Name, settings.Smtp!, settings.Timeout, logger)
                : new PickupDirectoryEmailProvider(settings.Name, settings.PickupDirectory!, time, settings.RetentionDays);
            entries[settings.Name] = new ProviderEntry(provider, new MailSettings(settings.From, settings.Subject), template);
        }

        var defaultProvider = providers.FirstOrDefault(p => p.IsDefault)?.Name ?? providers.FirstOrDefault()?.Name ?? EmailProviderBinder.BuiltInName;
        var sender = new OtpMailSender(entries, defaultProvider, logger, time);
        return new EmailServices(
            entries.ToDictionary(e => e.Key, e => e.Value.Provider, StringComparer.Ordinal),
            defaultProvider,
            sender,
            new PolicyEmailRouteSelector(policies, defaultProvider));
    }

    /// <summary>
    /// Starts the pickup providers' clean-up (crash leftovers, mails past RETENTION_DAYS). For the serving process only,
    /// once it holds the data directory: <c>test-email</c> builds these services too while a server may be writing.
    /// </summary>
    public void StartMaintenance(ILogger logger)
    {
        foreach (var provider in Providers.Values.OfType<PickupDirectoryEmailProvider>())
        {
            var (leftovers, expired) = provider.StartMaintenance();
            if (leftovers + expired > 0)
            {
                EmailLog.OutboxCleaned(logger, provider.Name, provider.Directory, leftovers, expired);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in Providers.Values)
        {
            if (provider is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else if (provider is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }
}
