using System.Net;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Validates the <c>[server]</c> table into <see cref="ServerSettings"/>.</summary>
public static class ServerSettingsBinder
{
    // 0 means no limit, as in FreeRADIUS; a 4096-octet packet cannot hold more than this many attributes anyway.
    public const int RadiusPacketMaxAttributes = 4096 / 2;

    /// <summary>About when a NAS gives up on a try and retransmits; FreeRADIUS ships 30 s, sized for proxying to slow servers.</summary>
    public const int DefaultMaxRequestTimeSeconds = 5;

    public static ServerSettings Bind(ConfigSection? section, ConfigDiagnostics diagnostics)
    {
        section ??= new ConfigSection(new Toml.TomlTableNode(1), "[server]", diagnostics);
        var listenTexts = section.StringList("listen", ["127.0.0.1:1812"]);
        var listen = new List<IPEndPoint>();
        foreach (var text in listenTexts)
        {
            if (TryParseEndPoint(text, out var endPoint))
            {
                listen.Add(endPoint);
                if (endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any))
                {
                    // Replies leave through the receiving socket; on a wildcard one the kernel picks their source address.
                    section.Warning("listen", $"\"{text}\" is a wildcard address: on a host with several addresses a reply may leave from another one than the NAS sent to, and the NAS will drop it; list the addresses instead");
                }
            }
            else
            {
                section.Error("listen", $"\"{text}\" is not host:port (IPv6 as \"[::1]:1812\")");
            }
        }

        if (listenTexts.Count == 0)
        {
            section.Error("listen", "needs at least one address");
        }

        var listenAcct = new List<IPEndPoint>();
        foreach (var text in section.StringList("listen_acct", []))
        {
            if (TryParseEndPoint(text, out var endPoint))
            {
                listenAcct.Add(endPoint);
            }
            else
            {
                section.Error("listen_acct", $"\"{text}\" is not host:port (IPv6 as \"[::1]:1813\")");
            }
        }

        var acctLog = section.PathValue("acct_log");

        var settings = new ServerSettings(
            listen,
            RequiredPath(section, "dictionary", "dictionaries/dictionary"),
            RequiredPath(section, "data_dir", "data"),
            TimeSpan.FromSeconds(section.Seconds("cleanup_delay", 5, 0, 60)),
            TimeSpan.FromSeconds(section.Seconds("reject_delay", 1, 0, 10)),
            section.Int("max_attributes", 200, 0, RadiusPacketMaxAttributes),
            ParsePolicy(section, "require_message_authenticator", BlastRadiusPolicy.Yes),
            ParsePolicy(section, "limit_proxy_state", BlastRadiusPolicy.Auto),
            section.PathValue("clients_conf"),
            // Whole seconds, as FreeRADIUS reads it; past a NAS's patience an answer is wasted work.
            TimeSpan.FromSeconds(section.Int("max_request_time", DefaultMaxRequestTimeSeconds, 1, 120)))
        {
            ListenAcct = listenAcct,
            AcctLog = acctLog,
        };
        section.ReportUnknownKeys();
        return settings;
    }

    internal static BlastRadiusPolicy ParsePolicy(ConfigSection section, string key, BlastRadiusPolicy defaultValue) =>
        section.Choice(key, defaultValue.ToString().ToLowerInvariant(), "yes", "no", "auto") switch
        {
            "yes" => BlastRadiusPolicy.Yes,
            "no" => BlastRadiusPolicy.No,
            _ => BlastRadiusPolicy.Auto,
        };

    internal static bool TryParseEndPoint(string text, out IPEndPoint endPoint)
    {
        // IPEndPoint.TryParse accepts a missing port (port 0); a listen address must name its port.
        var lastColon = text.LastIndexOf(':');
        var closingBracket = text.LastIndexOf(']');
        if (lastColon > closingBracket && IPEndPoint.TryParse(text, out var parsed) && parsed.Port != 0)
        {
            endPoint = parsed;
            return true;
        }

        endPoint = null!;
        return false;
    }

    // Relative paths, the defaults included, are relative to the config file's directory.
    private static string RequiredPath(ConfigSection section, string key, string defaultValue)
    {
        if (section.PathValue(key, defaultValue) is { } path)
        {
            return path;
        }

        section.Error(key, "must not be empty");
        return section.Diagnostics.ResolvePath(defaultValue);
    }
}
