using System.Globalization;
using System.Net;

namespace RadiusLoadClient;

/// <summary>The command line: a mode, then <c>--key value</c> pairs; every key is checked, unknown ones are errors.</summary>
internal sealed class LoadOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private LoadOptions(string mode, List<string> positional)
    {
        Mode = mode;
        Positional = positional;
    }

    public string Mode { get; }

    public IReadOnlyList<string> Positional { get; }

    public static LoadOptions Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new UsageException("missing mode");
        }

        var positional = new List<string>();
        var options = new LoadOptions(args[0], positional);
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new UsageException($"{arg} needs a value");
            }

            options._values[arg[2..]] = args[++i];
        }

        return options;
    }

    public string String(string key, string fallback) => Optional(key) ?? fallback;

    public string Required(string key) => Optional(key) ?? throw new UsageException($"--{key} is required in mode {Mode}");

    public string? Optional(string key)
    {
        _used.Add(key);
        return _values.TryGetValue(key, out var value) ? value : null;
    }

    public int Int(string key, int fallback, int min, int max)
    {
        var text = Optional(key);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"--{key} must be an integer from {min} to {max}, not \"{text}\"");
        }

        return value;
    }

    public double Double(string key, double fallback, double min, double max)
    {
        var text = Optional(key);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"--{key} must be a number from {min} to {max}, not \"{text}\"");
        }

        return value;
    }

    public IPEndPoint EndPoint(string key, string fallback)
    {
        var text = String(key, fallback);
        if (!IPEndPoint.TryParse(text, out var endPoint) || endPoint.Port == 0 && key != "listen")
        {
            throw new UsageException($"--{key} must be address:port, not \"{text}\"");
        }

        return endPoint;
    }

    /// <summary>Throws when an option was given that the mode never read: a typo must not pass silently.</summary>
    public void EnsureAllUsed()
    {
        foreach (var key in _values.Keys)
        {
            if (!_used.Contains(key))
            {
                throw new UsageException($"unknown option --{key} for mode {Mode}");
            }
        }
    }
}
