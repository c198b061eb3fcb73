using System.Text.RegularExpressions;
using RadiusEmailOtp.Infrastructure.Ldap;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// Validates the <c>[[resolver]]</c> tables (issue 9). The <c>local</c> resolver (the token table) always exists and
/// needs no entry; an entry may name it with <c>type = "local"</c> and nothing else. Relative file paths are read
/// against the configuration file's directory.
/// </summary>
public static partial class ResolverSettingsBinder
{
    public static IReadOnlyList<LdapResolverSettings> Bind(IReadOnlyList<ConfigSection> sections, ConfigDiagnostics diagnostics)
    {
        var result = new List<LdapResolverSettings>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in sections)
        {
            var name = section.RequiredString("name").Trim();
            if (name.Length > 0 && !NamePattern().IsMatch(name))
            {
                section.Error("name", $"\"{name}\" must be letters, digits, '-' or '_' (it is used in policies as \"{name}:\")");
            }
            else if (name.Length > 0 && !names.Add(name))
            {
                section.Error("name", $"resolver \"{name}\" is defined twice");
            }

            var type = section.Choice("type", "ldap", "ldap", "local");
            if (type == "local" || string.Equals(name, "local", StringComparison.OrdinalIgnoreCase))
            {
                if (type != "local" || !string.Equals(name, "local", StringComparison.OrdinalIgnoreCase))
                {
                    section.Error("name", "the name \"local\" is the token table's resolver (type = \"local\") and no other");
                }

                section.ReportUnknownKeys();
                continue;
            }

            var settings = BindLdap(section, name, diagnostics);
            section.ReportUnknownKeys();
            if (settings is not null)
            {
                result.Add(settings);
            }
        }

        return result;
    }

    private static LdapResolverSettings? BindLdap(ConfigSection section, string name, ConfigDiagnostics diagnostics)
    {
        var uris = new List<LdapUri>();
        foreach (var text in section.StringList("uri", []))
        {
            if (LdapUri.TryParse(text, out var uri, out var error))
            {
                uris.Add(uri!);
            }
            else
            {
                section.Error("uri", error);
            }
        }

        if (!section.Has("uri"))
        {
            diagnostics.Error(section.Line, $"{section.Name}: uri is required, e.g. uri = [\"ldaps://dc1.example.com\"]");
        }
        else if (uris.Count == 0 && !diagnostics.HasErrors)
        {
            section.Error("uri", "give at least one URI");
        }

        var startTls = section.Bool("start_tls", false);
        if (startTls && uris.Exists(u => u.Ldaps))
        {
            section.Error("start_tls", "start_tls is for ldap:// URIs; an ldaps:// URI is TLS already");
        }

        var caFile = section.String("ca_file") is { Length: > 0 } ca ? Resolve(diagnostics, ca) : null;
        if (caFile is not null)
        {
            CheckCaFile(section, caFile);
        }

        var tlsVerify = section.Bool("tls_verify", true);
        if (!tlsVerify)
        {
            section.Warning("tls_verify", "the directory's certificate is NOT verified; anyone on the path can read the passwords");
        }

        var usesTls = startTls || uris.Exists(u => u.Ldaps);
        var bindDn = section.String("bind_dn") is { Length: > 0 } dn ? dn : null;
        var password = BindPassword(section, diagnostics, bindDn);
        if (!usesTls && uris.Count > 0 && !uris.TrueForAll(u => SmtpSettingsBinder.IsLoopback(u.Host)))
        {
            section.Warning("uri", "no TLS (ldaps:// or start_tls): the users' passwords cross the network in clear text");
        }

        var baseDn = section.RequiredString("base_dn");
        var loginAttributes = section.StringList("login_attribute", ["uid"]);
        foreach (var attribute in loginAttributes)
        {
            CheckAttribute(section, "login_attribute", attribute);
        }

        if (loginAttributes.Count == 0)
        {
            section.Error("login_attribute", "give at least one attribute, e.g. [\"uid\"]");
        }

        var filter = section.String("search_filter", LdapResolverSettings.DefaultSearchFilter)!.Trim();
        if (!IsBalancedFilter(filter))
        {
            section.Error("search_filter", $"\"{filter}\" is not one parenthesised LDAP filter, e.g. \"(objectClass=inetOrgPerson)\"");
        }

        var emailAttribute = section.String("email_attribute", "mail")!.Trim();
        CheckAttribute(section, "email_attribute", emailAttribute);
        var (connect, response) = Timeout(section);
        var cacheSeconds = section.Int("cache_seconds", LdapResolverSettings.DefaultCacheSeconds, 0, 86_400);
        return new LdapResolverSettings(
            name, uris, startTls, caFile, tlsVerify, bindDn, password, baseDn, loginAttributes, filter, emailAttribute,
            connect, response, TimeSpan.FromSeconds(cacheSeconds));
    }

    private static LdapSecret? BindPassword(ConfigSection section, ConfigDiagnostics diagnostics, string? bindDn)
    {
        string[] keys = ["bind_password", "bind_password_file", "bind_password_env"];
        var given = keys.Where(section.Has).ToList();
        var inline = section.String("bind_password");
        var file = section.String("bind_password_file");
        var env = section.String("bind_password_env");
        if (bindDn is null)
        {
            if (given.Count > 0)
            {
                section.Error(given[0], "a bind password needs bind_dn (without bind_dn the searches are anonymous)");
            }

            return null;
        }

        if (given.Count != 1)
        {
            var where = given.Count == 0 ? "bind_dn" : given[1];
            section.Error(where, "give exactly one of bind_password, bind_password_file, bind_password_env");
            return null;
        }

        string? value = null;
        switch (given[0])
        {
            case "bind_password":
                value = inline;
                break;
            case "bind_password_file":
                var path = Resolve(diagnostics, file ?? string.Empty);
                try
                {
                    // One trailing newline is what an editor or `echo` leaves; it is not part of the password.
                    value = File.ReadAllText(path).TrimEnd('\r', '\n');
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    section.Error("bind_password_file", $"cannot read \"{path}\": {ex.GetType().Name}");
                    return null;
                }

                break;
            case "bind_password_env":
                value = string.IsNullOrEmpty(env) ? null : Environment.GetEnvironmentVariable(env);
                if (string.IsNullOrEmpty(value))
                {
                    section.Error("bind_password_env", $"environment variable \"{env}\" is not set or empty");
                    return null;
                }

                break;
        }

        if (string.IsNullOrEmpty(value))
        {
            section.Error(given[0], "the bind password is empty (an empty password is an unauthenticated bind)");
            return null;
        }

        return new LdapSecret(value);
    }

    private static (TimeSpan Connect, TimeSpan Response) Timeout(ConfigSection section)
    {
        var defaults = (LdapResolverSettings.DefaultTimeout, LdapResolverSettings.DefaultTimeout);
        if (!section.Has("timeout"))
        {
            return defaults;
        }

        var text = section.String("timeout") ?? string.Empty;
        if (ProviderTimeoutParser.TryParse(text, out var timeout) && timeout.Connect <= TimeSpan.FromSeconds(300) && timeout.Read <= TimeSpan.FromSeconds(300))
        {
            return (timeout.Connect, timeout.Read);
        }

        section.Error("timeout", $"\"{text}\" is not \"connect;response\" in seconds, e.g. \"5;5\" (each 0 < s <= 300)");
        return defaults;
    }

    private static void CheckCaFile(ConfigSection section, string caFile)
    {
        if (!File.Exists(caFile))
        {
            section.Error("ca_file", $"file \"{caFile}\" does not exist");
            return;
        }

        CaFileCheck.RequirePemCertificates(section, "ca_file", caFile);
    }

    private static void CheckAttribute(ConfigSection section, string key, string attribute)
    {
        if (!AttributePattern().IsMatch(attribute))
        {
            section.Error(key, $"\"{attribute}\" is not an attribute name (letters, digits and '-', or an OID)");
        }
    }

    /// <summary>One filter in parentheses whose parentheses balance (RFC 4515 §3); the server parses the rest.</summary>
    internal static bool IsBalancedFilter(string filter)
    {
        if (filter.Length < 3 || filter[0] != '(' || filter[^1] != ')')
        {
            return false;
        }

        var depth = 0;
        for (var i = 0; i < filter.Length; i++)
        {
            depth += filter[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth < 0 || (depth == 0 && i != filter.Length - 1))
            {
                return false;
            }
        }

        return depth == 0;
    }

    private static string Resolve(ConfigDiagnostics diagnostics, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(diagnostics.File)) ?? ".", path));

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();

    // RFC 4512 §1.4: descr (keystring) or numericoid.
    [GeneratedRegex("^([A-Za-z][A-Za-z0-9-]*|[0-9]+(\\.[0-9]+)+)$")]
    private static partial Regex AttributePattern();
}
