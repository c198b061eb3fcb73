namespace RadiusEmailOtp.Cli;

/// <summary>
/// What <c>--help</c> (or <c>-h</c>) prints for one command or subcommand. Every command declares one next to its
/// code and registers it in <see cref="CommandLine"/>; a command with subcommands lists theirs in
/// <see cref="Subcommands"/> (named "token enroll", …). <c>--config</c> and <c>--help</c> are added to every one.
/// </summary>
/// <param name="Name">The words that run it, e.g. <c>token enroll</c>.</param>
/// <param name="Arguments">The usage after the name, e.g. <c>--user U --email ADDR --pin PIN|- [--realm R]</c>.</param>
/// <param name="Summary">One sentence: what it does.</param>
/// <param name="Options">Its own options, in the order a reader needs them.</param>
internal sealed record CommandHelp(string Name, string Arguments, string Summary, IReadOnlyList<HelpOption> Options)
{
    private static readonly HelpOption[] s_common =
    [
        new("--config PATH", $"the configuration file ({DefaultConfigPath.Rule})"),
        new("-h, --help", "print this help and exit"),
    ];

    public IReadOnlyList<CommandHelp> Subcommands { get; init; } = [];

    /// <summary>The help for the words after the command: a subcommand's when the first one names it, else this one.</summary>
    public CommandHelp For(IReadOnlyList<string> words)
    {
        if (words.Count > 0)
        {
            foreach (var sub in Subcommands)
            {
                if (sub.Name == $"{Name} {words[0]}")
                {
                    return sub;
                }
            }
        }

        return this;
    }

    public void Write(TextWriter writer)
    {
        writer.WriteLine($"usage: {BuildInfo.ProgramName} {Name}{(Arguments.Length == 0 ? string.Empty : " " + Arguments)}");
        writer.WriteLine();
        writer.WriteLine(Summary);
        if (Subcommands.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine("subcommands (each takes --help):");
            var width = Subcommands.Max(s => s.Name.Length - Name.Length - 1);
            foreach (var sub in Subcommands)
            {
                writer.WriteLine($"  {sub.Name[(Name.Length + 1)..].PadRight(width)}  {sub.Summary}");
            }
        }

        writer.WriteLine();
        writer.WriteLine("options:");
        var all = Options.Concat(s_common).ToList();
        var optionWidth = all.Max(o => o.Name.Length);
        foreach (var option in all)
        {
            writer.WriteLine($"  {option.Name.PadRight(optionWidth)}  {option.Description}");
        }
    }
}
