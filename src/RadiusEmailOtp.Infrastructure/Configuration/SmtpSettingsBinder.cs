using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// Validates the SMTP keys of behaviour.md §3. Credentials without TLS are an error unless the server is a loopback
/// address (then a warning): the password would cross the network in clear text.
/// </summary>
internal static class SmtpSettingsBinder
{
    public static SmtpProviderSettings Bind(ConfigSection config)
    {
        var server = config.RequiredString("SMTP_SERVER");
        var useSsl = config.Bool("USE_SSL", false);
        var startTls = config.Bool("START_TLS", false);
        if (useSsl && startTls)
        {
            config.Error("START_TLS", "USE_SSL (implicit TLS) and START_TLS exclude each other; set one");
        }

        // The seed's port defaults: 25, 587 for STARTTLS, 465 for SSL.
        var defaultPort = useSsl ? 465 : startTls ? 587 : 25;
        if (config.Has("PORT") && config.Has("SMTP_PORT"))
        {
            config.Error("SMTP_PORT", "PORT and SMTP_PORT are the same setting; give one");
        }

        var port = config.Has("SMTP_PORT") && !config.Has("PORT")
            ? config.Int("SMTP_PORT", defaultPort, 1, 65535)
            : config.Int("PORT", defaultPort, 1, 65535);
        _ = config.Node("SMTP_PORT");

        var user = Empty(config.String("SMTP_USER"));
        var password = Empty(config.String("SMTP_PASSWORD"));
        if ((user is null) != (password is null))
        {
            config.Error(user is null ? "SMTP_PASSWORD" : "SMTP_USER", "SMTP_USER and SMTP_PASSWORD go together: give both, or neither to send without authentication");
        }

        if (user is not null && !useSsl && !startTls)
        {
            var message = "credentials would be sent without TLS; set START_TLS or USE_SSL";
            if (IsLoopback(server))
            {
                config.Warning("SMTP_USER", message + " (tolerated: the server is on this host)");
            }
            else
            {
                config.Error("SMTP_USER", message);
            }
        }

        var certFile = ExistingFile(config, "CERTFILE");
        var keyFile = ExistingFile(config, "KEYFILE");
        if (config.Has("CERTFILE") != config.Has("KEYFILE"))
        {
            config.Error(config.Has("CERTFILE") ? "CERTFILE" : "KEYFILE", "CERTFILE and KEYFILE go together (client certificate and its key, PEM)");
        }

        var caFile = ExistingFile(config, "CA_FILE");
        CheckPemFiles(config, certFile, keyFile, caFile);
        var tlsVerify = config.Bool("TLS_VERIFY", true);
        if (!tlsVerify)
        {
            config.Warning("TLS_VERIFY", "server certificates are NOT verified; anyone on the path can read the OTPs");
        }

        // Off by default: an online revocation check fails or hangs where the server cannot reach the CA's CRL/OCSP.
        var checkRevocation = config.Bool("TLS_CHECK_REVOCATION", false);
        var poolSize = config.Int("POOL_SIZE", SmtpProviderSettings.DefaultPoolSize, 1, SmtpProviderSettings.MaxPoolSize);
        var maxMessages = config.Int(
            "MAX_MESSAGES_PER_SESSION", SmtpProviderSettings.DefaultMaxMessagesPerSession, 1, SmtpProviderSettings.MaxMessagesPerSessionLimit);
        return new SmtpProviderSettings(server, port, useSsl, startTls, user, password, certFile, keyFile, caFile, tlsVerify, checkRevocation, poolSize, maxMessages);
    }

    internal static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    // The provider loads these when it is built; parsing them here makes a broken file a check-config error with its
    // line instead of a crash of serve or test-email.
    private static void CheckPemFiles(ConfigSection config, string? certFile, string? keyFile, string? caFile)
    {
        if (caFile is not null && File.Exists(caFile))
        {
            CaFileCheck.RequirePemCertificates(config, "CA_FILE", caFile);
        }

        if (certFile is null || keyFile is null || !File.Exists(certFile) || !File.Exists(keyFile))
        {
            return;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certFile));
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            config.Error("CERTFILE", $"\"{certFile}\" is not a readable PEM certificate: {ex.Message}");
            return;
        }

        try
        {
            using var withKey = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            config.Error("KEYFILE", $"\"{keyFile}\" is not a readable PEM private key for CERTFILE \"{certFile}\": {ex.Message}");
        }
    }

    private static string? ExistingFile(ConfigSection config, string key)
    {
        var path = config.PathValue(key);
        if (path is not null && !File.Exists(path))
        {
            config.Error(key, $"file \"{path}\" does not exist");
        }

        return path;
    }
}
