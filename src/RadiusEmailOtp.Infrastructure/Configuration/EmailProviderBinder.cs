namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// Binds <c>[[email_provider]]</c> entries and the legacy <c>[email_provider_legacy]</c> table (LinOTP before 2.9:
/// <c>EmailProvider</c>, <c>EmailProviderConfig</c>, <c>EmailProviderTimeout</c>), which becomes <c>imported_default</c>.
/// Exactly one provider ends up the default.
/// </summary>
public static class EmailProviderBinder
{
    public const string ImportedDefaultName = "imported_default";
    public const string BuiltInName = "outbox";

    /// <summary>Ten years: a bound that catches a typo (days, not seconds) without limiting any real policy.</summary>
    public const int MaxRetentionDays = 3650;

    private static readonly string[] s_smtpClasses =
    [
        "SMTPEmailProvider",
        "linotp.lib.emailprovider.SMTPEmailProvider",
        "linotp.provider.emailprovider.SMTPEmailProvider",
    ];

    public static IReadOnlyList<EmailProviderSettings> Bind(ConfigSection top, ServerSettings server, ConfigDiagnostics diagnostics)
    {
        var providers = new List<EmailProviderSettings>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in top.Sections("email_provider"))
        {
            var name = section.RequiredString("name");
            var className = section.RequiredString("class");
            var isDefault = section.Bool("default", false);
            var timeout = ProviderTimeoutParser.Parse(section, "timeout");
            var config = ProviderConfigReader.Read(section, "config");
            section.ReportUnknownKeys();
            var provider = BindOne(section, name, className, "class", isDefault, timeout, config, server);
            Add(providers, names, provider, section);
        }

        if (top.Section("email_provider_legacy") is { } legacy)
        {
            // The seed: linotp.lib.emailprovider.SMTPEmailProvider "is the default value" of the old EmailProvider key.
            var className = legacy.String("EmailProvider", s_smtpClasses[1])!;
            var timeout = ProviderTimeoutParser.Parse(legacy, "EmailProviderTimeout");
            var config = ProviderConfigReader.Read(legacy, "EmailProviderConfig");
            legacy.ReportUnknownKeys();
            var provider = BindOne(legacy, ImportedDefaultName, className, "EmailProvider", false, timeout, config, server);
            Add(providers, names, provider, legacy);
        }

        return ChooseDefault(providers, server, top, diagnostics);
    }

    private static IReadOnlyList<EmailProviderSettings> ChooseDefault(List<EmailProviderSettings> providers, ServerSettings server, ConfigSection top, ConfigDiagnostics diagnostics)
    {
        if (providers.Count == 0)
        {
            // The embedded default: a fresh machine still delivers OTPs somewhere an admin can read them.
            diagnostics.Warning(top.Line, $"no [[email_provider]] configured; OTP mails are written to {Path.Combine(server.DataDir, "outbox")} (PickupDirectoryEmailProvider \"{BuiltInName}\")");
            return [BuiltIn(server)];
        }

        var marked = providers.Where(p => p.IsDefault).ToList();
        if (marked.Count > 1)
        {
            foreach (var extra in marked.Skip(1))
            {
                diagnostics.Error(extra.Line, $"[[email_provider]] \"{extra.Name}\": default = true is already set on \"{marked[0].Name}\"; mark exactly one provider as default");
            }

            return providers;
        }

        if (marked.Count == 1)
        {
            return providers;
        }

        var index = providers.FindIndex(p => p.Name == ImportedDefaultName);
        if (index < 0)
        {
            index = 0;
            diagnostics.Warning(providers[0].Line, $"no [[email_provider]] has default = true; \"{providers[0].Name}\" (the first) is the default");
        }

        providers[index] = providers[index] with { IsDefault = true };
        return providers;
    }

    internal static EmailProviderSettings BuiltIn(ServerSettings server) => new(
        BuiltInName, EmailProviderKind.PickupDirectory, true, ProviderTimeout.Default, EmailProviderSettings.DefaultFrom,
        EmailProviderSettings.DefaultSubject, null, null, Path.Combine(server.DataDir, "outbox"), 0);

    private static void Add(List<EmailProviderSettings> providers, HashSet<string> names, EmailProviderSettings? provider, ConfigSection section)
    {
        if (provider is null)
        {
            return;
        }

        if (!names.Add(provider.Name))
        {
            section.Diagnostics.Error(section.Line, $"{section.Name}: an e-mail provider named \"{provider.Name}\" is already defined");
            return;
        }

        providers.Add(provider);
    }

    private static EmailProviderSettings? BindOne(
        ConfigSection section, string name, string className, string classKey, bool isDefault, ProviderTimeout timeout, ConfigSection? config, ServerSettings server)
    {
        EmailProviderKind kind;
        if (s_smtpClasses.Contains(className, StringComparer.OrdinalIgnoreCase))
        {
            kind = EmailProviderKind.Smtp;
        }
        else if (string.Equals(className, "PickupDirectoryEmailProvider", StringComparison.OrdinalIgnoreCase))
        {
            kind = EmailProviderKind.PickupDirectory;
        }
        else
        {
            if (className.Length > 0)
            {
                section.Error(classKey, $"unknown provider class \"{className}\"; use {string.Join(", ", s_smtpClasses)} or PickupDirectoryEmailProvider");
            }

            return null;
        }

        if (config is null && kind == EmailProviderKind.Smtp)
        {
            if (section.Has("config") || section.Has("EmailProviderConfig"))
            {
                // The config value itself was wrong and has been reported.
                return null;
            }

            section.Diagnostics.Error(section.Line, $"{section.Name}: config with at least SMTP_SERVER is required");
            return null;
        }

        var from = config?.String("EMAIL_FROM") ?? EmailProviderSettings.DefaultFrom;
        var subject = config?.String("EMAIL_SUBJECT") ?? EmailProviderSettings.DefaultSubject;
        var template = config?.String("TEMPLATE");
        SmtpProviderSettings? smtp = null;
        string? directory = null;
        var retentionDays = Email.PickupDirectoryEmailProvider.DefaultRetentionDays;
        if (kind == EmailProviderKind.Smtp)
        {
            smtp = SmtpSettingsBinder.Bind(config!);
        }
        else
        {
            directory = config?.PathValue("DIRECTORY") ?? Path.Combine(server.DataDir, "outbox");
            retentionDays = config?.Int("RETENTION_DAYS", retentionDays, 0, MaxRetentionDays) ?? retentionDays;
        }

        config?.ReportUnknownKeys();
        return new EmailProviderSettings(name, kind, isDefault, timeout, from, subject, string.IsNullOrEmpty(template) ? null : template, smtp, directory, section.Line)
        {
            RetentionDays = retentionDays,
        };
    }
}
