using RadiusEmailOtp.Otp.Realms;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Validates the <c>[realm]</c> table into <see cref="RealmSettings"/>.</summary>
public static class RealmSettingsBinder
{
    public static RealmSettings Bind(ConfigSection? section, ConfigDiagnostics diagnostics)
    {
        section ??= new ConfigSection(new Toml.TomlTableNode(1), "[realm]", diagnostics);
        var defaults = RealmSettings.Defaults;
        var realm = section.String("default", defaults.Default)!.Trim();
        if (realm.Length == 0)
        {
            section.Error("default", "must not be empty");
            realm = defaults.Default;
        }

        var separator = section.String("separator", defaults.Separator)!;
        if (separator.Length == 0 || separator.Any(char.IsWhiteSpace))
        {
            section.Error("separator", "must be a non-empty string without spaces, e.g. \"@\"");
            separator = defaults.Separator;
        }

        section.ReportUnknownKeys();
        return new RealmSettings(RealmResolver.NormaliseRealm(realm), separator);
    }
}
