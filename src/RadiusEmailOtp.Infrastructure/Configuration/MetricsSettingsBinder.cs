namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Validates the <c>[metrics]</c> table into <see cref="MetricsSettings"/>.</summary>
public static class MetricsSettingsBinder
{
    public static MetricsSettings Bind(ConfigSection? section, ConfigDiagnostics diagnostics)
    {
        if (section is null)
        {
            return MetricsSettings.Off;
        }

        var text = section.String("listen", "")!.Trim();
        MetricsSettings settings = MetricsSettings.Off;
        if (text.Length > 0)
        {
            // Port 0 is allowed here (the kernel picks one and the start-up line names it): handy for tests.
            if (System.Net.IPEndPoint.TryParse(text, out var endPoint) && text.LastIndexOf(':') > text.LastIndexOf(']'))
            {
                settings = new MetricsSettings(endPoint);
                if (!System.Net.IPAddress.IsLoopback(endPoint.Address))
                {
                    section.Warning("listen", $"\"{text}\" is not a loopback address: anyone who can reach it reads the metrics (client names, counts); firewall it or use 127.0.0.1");
                }
            }
            else
            {
                section.Error("listen", $"\"{text}\" is not host:port (e.g. \"127.0.0.1:9812\"; IPv6 as \"[::1]:9812\")");
            }
        }

        section.ReportUnknownKeys();
        return settings;
    }
}
