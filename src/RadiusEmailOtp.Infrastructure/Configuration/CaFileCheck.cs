using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// A CA file (SMTP CA_FILE, LDAP ca_file) is parsed when the config is read, so a broken one is a check-config error on
/// its line instead of a failure of the first TLS connection.
/// </summary>
internal static class CaFileCheck
{
    /// <summary>Reports on <paramref name="key"/> when the existing file <paramref name="caFile"/> holds no readable PEM certificate.</summary>
    public static void RequirePemCertificates(ConfigSection section, string key, string caFile)
    {
        try
        {
            var anchors = new X509Certificate2Collection();
            anchors.ImportFromPemFile(caFile);
            if (anchors.Count == 0)
            {
                section.Error(key, $"\"{caFile}\" holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }

            foreach (var anchor in anchors)
            {
                anchor.Dispose();
            }
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            section.Error(key, $"\"{caFile}\" is not a readable PEM certificate file: {ex.Message}");
        }
    }
}
