using RadiusEmailOtp.Infrastructure.Configuration.Toml;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Reads config.toml into an <see cref="AppConfig"/>, collecting every problem with its line.</summary>
public static class AppConfigLoader
{
    /// <summary>Returns the configuration, or null when <paramref name="diagnostics"/> holds an error.</summary>
    public static AppConfig? Load(string path, out ConfigDiagnostics diagnostics)
    {
        diagnostics = new ConfigDiagnostics(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Error(0, $"cannot read the configuration: {ex.Message}");
            return null;
        }

        return Bind(path, text, diagnostics);
    }

    /// <summary>
    /// Binds TOML text; <paramref name="path"/> names the file in messages, and relative paths in it are resolved
    /// against its directory.
    /// </summary>
    public static AppConfig? Bind(string path, string text, ConfigDiagnostics diagnostics)
    {
        var root = TomlDocumentReader.Read(text, diagnostics);
        if (root is null)
        {
            return null;
        }

        var top = new ConfigSection(root, "top level", diagnostics);
        var server = ServerSettingsBinder.Bind(top.Section("server"), diagnostics);
        var dictionary = new ConfigDictionary(server.Dictionary, diagnostics);
        var clients = ClientTableBinder.Bind(top.Sections("client"), server, dictionary, diagnostics);
        var realm = RealmSettingsBinder.Bind(top.Section("realm"), diagnostics);
        var emailToken = EmailTokenSettingsBinder.Bind(top.Section("email_token"), diagnostics);
        var email = EmailSettingsBinder.Bind(top.Section("email"), diagnostics);
        var providers = EmailProviderBinder.Bind(top, server, diagnostics);
        var resolverNames = new ResolverNames(top.Sections("resolver"));
        var policies = PolicyBinder.Bind(top.Sections("policy"), providers.Select(p => p.Name).ToList(), resolverNames, dictionary, diagnostics);
        ReplyAttributeBinder.WarnAboutCombinedSize(top.Sections("client"), policies, dictionary, diagnostics);
        var resolvers = ResolverSettingsBinder.Bind(top.Sections("resolver"), diagnostics);
        var realms = RealmMapBinder.Bind(top, resolverNames, realm, emailToken, diagnostics);
        var log = LogSettingsBinder.Bind(top.Section("log"), diagnostics);
        var metrics = MetricsSettingsBinder.Bind(top.Section("metrics"), diagnostics);
        var store = StoreSettingsBinder.Bind(top.Section("store"), diagnostics);
        top.ReportUnknownKeys();
        EmailConfigValidator.Validate(providers, email, diagnostics);
        return diagnostics.HasErrors ? null : new AppConfig(path, server, clients, providers, policies, email, realm, emailToken)
        {
            Resolvers = resolvers,
            Realms = realms,
            Log = log,
            Metrics = metrics,
            Store = store,
        };
    }
}
