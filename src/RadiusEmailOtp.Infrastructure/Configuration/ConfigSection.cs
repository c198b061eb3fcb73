using System.Globalization;
using RadiusEmailOtp.Infrastructure.Configuration.Toml;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// Typed, validating access to one TOML table. Every getter reports a wrong type or range with the key's line
/// and returns the default, so binding goes on and all errors are found in one pass.
/// Keys that were never asked for are reported by <see cref="ReportUnknownKeys"/> (a typo must not pass silently).
/// </summary>
public sealed class ConfigSection
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public ConfigSection(TomlTableNode table, string name, ConfigDiagnostics diagnostics)
    {
        Table = table;
        Name = name;
        Diagnostics = diagnostics;
    }

    public TomlTableNode Table { get; }

    /// <summary>How errors name this table, e.g. <c>[server]</c> or <c>[[client]] "vpn1"</c>.</summary>
    public string Name { get; }

    public ConfigDiagnostics Diagnostics { get; }

    public int Line => Table.Line;

    public bool Has(string key) => Table.ContainsKey(key);

    /// <summary>The line of <paramref name="key"/>, or of the table when the key is absent.</summary>
    public int LineOf(string key) => Table[key]?.Line ?? Table.Line;

    public TomlNode? Node(string key)
    {
        _read.Add(key);
        return Table[key];
    }

    public void Error(string key, string message) => Diagnostics.Error(LineOf(key), $"{Name} {key}: {message}");

    public void Warning(string key, string message) => Diagnostics.Warning(LineOf(key), $"{Name} {key}: {message}");

    public string? String(string key, string? defaultValue = null)
    {
        switch (Node(key))
        {
            case null:
                return defaultValue;
            case TomlScalarNode { Value: string s }:
                return s;
            case TomlScalarNode { Value: long or double or bool } scalar:
                return Convert.ToString(scalar.Value, CultureInfo.InvariantCulture)!.ToLowerInvariant();
            case var other:
                Error(key, $"expected a string, found {other.TypeName}");
                return defaultValue;
        }
    }

    /// <summary>
    /// A file or directory path; a relative one is resolved against the config file's directory (also
    /// <paramref name="defaultValue"/>). Empty means "not set" and returns null.
    /// </summary>
    public string? PathValue(string key, string? defaultValue = null)
    {
        var value = String(key, defaultValue);
        return string.IsNullOrWhiteSpace(value) ? null : Diagnostics.ResolvePath(value);
    }

    public string RequiredString(string key)
    {
        var value = String(key);
        if (string.IsNullOrEmpty(value))
        {
            if (!Has(key))
            {
                Diagnostics.Error(Line, $"{Name}: {key} is required");
            }
            else
            {
                Error(key, "must not be empty");
            }

            return string.Empty;
        }

        return value;
    }

    /// <summary>An integer; strings holding a number are accepted (LinOTP configs quote numbers).</summary>
    public long Integer(string key, long defaultValue, long min = long.MinValue, long max = long.MaxValue)
    {
        long value;
        switch (Node(key))
        {
            case null:
                return defaultValue;
            case TomlScalarNode { Value: long l }:
                value = l;
                break;
            case TomlScalarNode { Value: string s } when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed):
                value = parsed;
                break;
            case var other:
                Error(key, $"expected an integer, found {Describe(other)}");
                return defaultValue;
        }

        if (value < min || value > max)
        {
            Error(key, $"{value} is out of range {min}..{max}");
            return defaultValue;
        }

        return value;
    }

    public int Int(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue) =>
        (int)Integer(key, defaultValue, min, max);

    /// <summary>A number of seconds (integer or float, or a string holding one).</summary>
    public double Seconds(string key, double defaultValue, double min = 0, double max = 86_400)
    {
        double value;
        switch (Node(key))
        {
            case null:
                return defaultValue;
            case TomlScalarNode { Value: long l }:
                value = l;
                break;
            case TomlScalarNode { Value: double d }:
                value = d;
                break;
            case TomlScalarNode { Value: string s } when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                value = parsed;
                break;
            case var other:
                Error(key, $"expected a number of seconds, found {Describe(other)}");
                return defaultValue;
        }

        if (double.IsNaN(value) || value < min || value > max)
        {
            Error(key, $"{value.ToString(CultureInfo.InvariantCulture)} is out of range {min}..{max}");
            return defaultValue;
        }

        return value;
    }

    /// <summary>A boolean: TOML true/false, or a string true/false/yes/no/1/0 in any case (LinOTP writes "TRUE").</summary>
    public bool Bool(string key, bool defaultValue)
    {
        switch (Node(key))
        {
            case null:
                return defaultValue;
            case TomlScalarNode { Value: bool b }:
                return b;
            case TomlScalarNode { Value: long l } when l is 0 or 1:
                return l == 1;
            case TomlScalarNode { Value: string s } when TryParseBool(s, out var parsed):
                return parsed;
            case var other:
                Error(key, $"expected a boolean (true/false/yes/no/1/0), found {Describe(other)}");
                return defaultValue;
        }
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned in its canonical spelling.</summary>
    public string Choice(string key, string defaultValue, params string[] allowed)
    {
        var value = String(key);
        if (value is null)
        {
            return defaultValue;
        }

        foreach (var candidate in allowed)
        {
            if (string.Equals(candidate, value, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        Error(key, $"\"{value}\" is not one of {string.Join(", ", allowed)}");
        return defaultValue;
    }

    /// <summary>A list of strings; a single string counts as a list of one.</summary>
    public IReadOnlyList<string> StringList(string key, IReadOnlyList<string> defaultValue)
    {
        switch (Node(key))
        {
            case null:
                return defaultValue;
            case TomlScalarNode { Value: string s }:
                return [s];
            case TomlArrayNode array:
                var result = new List<string>(array.Items.Count);
                foreach (var item in array.Items)
                {
                    if (item is TomlScalarNode { Value: string s })
                    {
                        result.Add(s);
                    }
                    else
                    {
                        Error(key, $"every element must be a string, found {item.TypeName}");
                    }
                }

                return result;
            case var other:
                Error(key, $"expected a string or an array of strings, found {other.TypeName}");
                return defaultValue;
        }
    }

    /// <summary>A nested table as a section of its own, or null when absent or of another type (reported).</summary>
    public ConfigSection? Section(string key)
    {
        switch (Node(key))
        {
            case null:
                return null;
            case TomlTableNode table:
                return new ConfigSection(table, $"[{key}]", Diagnostics);
            case var other:
                Error(key, $"expected a table, found {other.TypeName}");
                return null;
        }
    }

    /// <summary>The tables of an array of tables (<c>[[key]]</c>); each is named by its "name" key when it has one.</summary>
    public IReadOnlyList<ConfigSection> Sections(string key)
    {
        var result = new List<ConfigSection>();
        switch (Node(key))
        {
            case null:
                break;
            case TomlArrayNode array:
                foreach (var item in array.Items)
                {
                    if (item is TomlTableNode table)
                    {
                        var name = table["name"] is TomlScalarNode { Value: string n } ? $"[[{key}]] \"{n}\"" : $"[[{key}]] #{result.Count + 1}";
                        result.Add(new ConfigSection(table, name, Diagnostics));
                    }
                    else
                    {
                        Diagnostics.Error(item.Line, $"[[{key}]]: expected a table, found {item.TypeName}");
                    }
                }

                break;
            case var other:
                Error(key, $"expected an array of tables ([[{key}]]), found {other.TypeName}");
                break;
        }

        return result;
    }

    /// <summary>Reports every key of this table that no getter asked for.</summary>
    public void ReportUnknownKeys()
    {
        foreach (var (key, node) in Table.Entries)
        {
            if (!_read.Contains(key))
            {
                Diagnostics.Error(node.Line, $"{Name}: unknown key \"{key}\"");
            }
        }
    }

    public static bool TryParseBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "yes" or "1" or "on":
                value = true;
                return true;
            case "false" or "no" or "0" or "off":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static string Describe(TomlNode node) =>
        node is TomlScalarNode { Value: string s } ? $"\"{s}\"" : node.TypeName;
}
