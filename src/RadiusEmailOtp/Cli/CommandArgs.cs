namespace RadiusEmailOtp.Cli;

/// <summary>
/// The options of one subcommand: <c>--name value</c>, <c>--flag</c> and positional words.
/// Every option must be consumed; a left-over one is an error, so a typo never passes silently.
/// <c>--help</c> and <c>-h</c> are flags of every command (<see cref="HelpRequested"/>): <see cref="CommandLine"/> prints
/// the command's <see cref="CommandHelp"/> before the command runs.
/// </summary>
internal sealed class CommandArgs
{
    private readonly List<string> _positional = [];
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public CommandArgs(ReadOnlyMemory<string> args)
    {
        var span = args.Span;
        for (var i = 0; i < span.Length; i++)
        {
            var arg = span[i];
            if (arg is "--help" or "-h")
            {
                // Never takes a value: "token --help enroll" asks for the help of token enroll.
                HelpRequested = true;
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var eq = arg.IndexOf('=');
                if (eq > 0)
                {
                    _options[arg[2..eq]] = arg[(eq + 1)..];
                }
                else if (i + 1 < span.Length && !span[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    _options[arg[2..]] = span[++i];
                }
                else
                {
                    _options[arg[2..]] = null;
                }
            }
            else
            {
                _positional.Add(arg);
            }
        }
    }

    public IReadOnlyList<string> Positional => _positional;

    /// <summary>True when <c>--help</c> or <c>-h</c> was given anywhere among the words.</summary>
    public bool HelpRequested { get; }

    /// <summary>The config file (<see cref="DefaultConfigPath"/>: --config, $RADIUS_EMAIL_OTP_CONFIG, config/config.toml, /etc).</summary>
    public string ConfigPath => DefaultConfigPath.Resolve(Option("config"));

    public string? Option(string name)
    {
        _used.Add(name);
        if (_options.TryGetValue(name, out var value))
        {
            return value ?? throw new CommandLineException($"--{name} needs a value");
        }

        return null;
    }

    public string RequiredOption(string name) =>
        Option(name) ?? throw new CommandLineException($"--{name} is required");

    /// <summary>A flag such as <c>--json</c>; it takes no value (a following word stays positional).</summary>
    public bool Flag(string name)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var value))
        {
            return false;
        }

        if (value is not null)
        {
            // "--json foo" was parsed as an option with a value; give the word back.
            _positional.Add(value);
            _options[name] = null;
        }

        return true;
    }

    /// <summary>The single positional argument, e.g. a token serial.</summary>
    public string Single(string what)
    {
        if (_positional.Count != 1)
        {
            throw new CommandLineException(_positional.Count == 0 ? $"missing {what}" : $"expected one {what}, got {_positional.Count} words");
        }

        return _positional[0];
    }

    /// <summary>Fails on any option that the command did not read.</summary>
    public void EnsureAllUsed(bool allowPositional = false)
    {
        _ = ConfigPath;
        foreach (var name in _options.Keys)
        {
            if (!_used.Contains(name))
            {
                throw new CommandLineException($"unknown option --{name}");
            }
        }

        if (!allowPositional && _positional.Count > 0)
        {
            throw new CommandLineException($"unexpected argument \"{_positional[0]}\"");
        }
    }
}
