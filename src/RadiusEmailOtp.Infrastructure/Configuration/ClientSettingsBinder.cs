using System.Text;
using RadiusEmailOtp.Otp.Engine;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Validates the <c>[[client]]</c> tables; the secret comes from <c>secret</c>, <c>secret_file</c> or <c>secret_env</c>.</summary>
public static class ClientSettingsBinder
{
    public static ClientSettings? Bind(ConfigSection section, ServerSettings server, ConfigDictionary dictionary)
    {
        var name = section.RequiredString("name");
        var ipaddr = section.RequiredString("ipaddr");
        IPNetworkOrNull(section, ipaddr, out var network);
        var secret = ReadSecret(section);
        var client = new ClientSettings(
            name,
            network ?? default,
            secret ?? [],
            ServerSettingsBinder.ParsePolicy(section, "require_message_authenticator", server.RequireMessageAuthenticator),
            ServerSettingsBinder.ParsePolicy(section, "limit_proxy_state", server.LimitProxyState),
            section.Choice("challenge_mode", "challenge", "challenge", "reject") == "reject" ? ChallengeMode.Reject : ChallengeMode.Challenge,
            $"{section.Diagnostics.File}:{section.Line}")
        {
            SendWait = SendWait(section),
            ReplyAttributes = ReplyAttributeBinder.Bind(section, dictionary) ?? [],
        };
        section.ReportUnknownKeys();
        return network is null || secret is null || name.Length == 0 ? null : client;
    }

    /// <summary>A NAS with a short timeout (pam_radius: 3 s) can get a shorter wait for the mail than the others.</summary>
    private static TimeSpan? SendWait(ConfigSection section)
    {
        if (!section.Has("send_wait"))
        {
            return null;
        }

        var seconds = section.Seconds("send_wait", EmailTokenSettings.Default.SendWait.TotalSeconds, 0, 60);
        EmailTokenSettingsBinder.WarnIfSendWaitLong(section, seconds);
        return TimeSpan.FromSeconds(seconds);
    }

    private static void IPNetworkOrNull(ConfigSection section, string text, out System.Net.IPNetwork? network)
    {
        network = null;
        if (text.Length == 0)
        {
            return;
        }

        if (NetworkParser.TryParse(text, out var parsed, out var error))
        {
            network = parsed;
        }
        else
        {
            section.Error("ipaddr", error!);
        }
    }

    private static byte[]? ReadSecret(ConfigSection section)
    {
        var inline = section.String("secret");
        var file = section.String("secret_file") is { } named ? section.Diagnostics.ResolvePath(named) : null;
        var env = section.String("secret_env");
        var given = (inline is null ? 0 : 1) + (file is null ? 0 : 1) + (env is null ? 0 : 1);
        if (given != 1)
        {
            section.Diagnostics.Error(section.Line, $"{section.Name}: give exactly one of secret, secret_file, secret_env");
            return null;
        }

        string? secret;
        if (file is not null)
        {
            try
            {
                // A trailing newline in a secret file is an editor artefact, not part of the secret.
                secret = File.ReadAllText(file).TrimEnd('\r', '\n');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                section.Error("secret_file", $"cannot read \"{file}\": {ex.Message}");
                return null;
            }
        }
        else if (env is not null)
        {
            secret = Environment.GetEnvironmentVariable(env);
            if (secret is null)
            {
                section.Error("secret_env", $"environment variable {env} is not set");
                return null;
            }
        }
        else
        {
            secret = inline;
        }

        if (string.IsNullOrEmpty(secret))
        {
            section.Diagnostics.Error(section.Line, $"{section.Name}: the shared secret is empty");
            return null;
        }

        return Encoding.UTF8.GetBytes(secret);
    }
}
