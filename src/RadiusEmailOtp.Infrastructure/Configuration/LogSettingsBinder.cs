namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Validates the <c>[log]</c> table into <see cref="LogSettings"/>.</summary>
public static class LogSettingsBinder
{
    // RFC 5424 §6.2.1 facility numbers of the names a service would use.
    private static readonly (string Name, int Number)[] s_facilities =
    [
        ("user", 1), ("daemon", 3), ("auth", 4), ("authpriv", 10),
        ("local0", 16), ("local1", 17), ("local2", 18), ("local3", 19),
        ("local4", 20), ("local5", 21), ("local6", 22), ("local7", 23),
    ];

    public static LogSettings Bind(ConfigSection? section, ConfigDiagnostics diagnostics)
    {
        if (section is null)
        {
            return LogSettings.Default;
        }

        var format = section.Choice("format", "text", "text", "json") == "json" ? LogFormat.Json : LogFormat.Text;
        var destination = section.Choice("destination", "stdout", "stdout", "syslog", "file") switch
        {
            "syslog" => LogDestination.Syslog,
            "file" => LogDestination.File,
            _ => LogDestination.Stdout,
        };
        var file = section.String("file");
        if (string.IsNullOrWhiteSpace(file))
        {
            file = null;
            if (destination == LogDestination.File)
            {
                section.Error("destination", "\"file\" needs file = \"/var/log/radius-email-otp/radius.log\" (or another path)");
            }
        }
        else if (destination != LogDestination.File)
        {
            section.Warning("file", "is used only with destination = \"file\"");
        }

        var facilityName = section.Choice("facility", "daemon", [.. s_facilities.Select(f => f.Name)]);
        var facility = s_facilities.First(f => f.Name == facilityName).Number;
        section.ReportUnknownKeys();
        return new LogSettings(format, destination, file, facility);
    }
}
