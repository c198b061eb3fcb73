using System.Globalization;
using RadiusEmailOtp.Infrastructure.Configuration.Toml;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Parses the seed's <c>"connect[;read]"</c> timeout; one value sets both, like LinOTP (requests) does.</summary>
internal static class ProviderTimeoutParser
{
    public static ProviderTimeout Parse(ConfigSection section, string key)
    {
        string text;
        switch (section.Node(key))
        {
            case null:
                return ProviderTimeout.Default;
            case TomlScalarNode { Value: long l }:
                text = l.ToString(CultureInfo.InvariantCulture);
                break;
            case TomlScalarNode { Value: double d }:
                text = d.ToString(CultureInfo.InvariantCulture);
                break;
            case TomlScalarNode { Value: string s }:
                text = s;
                break;
            case var other:
                section.Error(key, $"expected \"connect[;read]\" seconds, found {other.TypeName}");
                return ProviderTimeout.Default;
        }

        if (TryParse(text, out var timeout))
        {
            return timeout;
        }

        section.Error(key, $"\"{text}\" is not \"connect[;read]\" in seconds, e.g. \"120.0;7.5\" (each 0 < s <= 3600)");
        return ProviderTimeout.Default;
    }

    public static bool TryParse(string text, out ProviderTimeout timeout)
    {
        timeout = ProviderTimeout.Default;
        var parts = text.Split(';', StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2 || !TrySeconds(parts[0], out var connect))
        {
            return false;
        }

        var read = connect;
        if (parts.Length == 2 && !TrySeconds(parts[1], out read))
        {
            return false;
        }

        timeout = new ProviderTimeout(connect, read);
        return true;
    }

    private static bool TrySeconds(string text, out TimeSpan value)
    {
        value = default;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0 && seconds <= 3600))
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
