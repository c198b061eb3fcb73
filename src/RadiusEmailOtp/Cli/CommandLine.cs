namespace RadiusEmailOtp.Cli;

/// <summary>The subcommands of <c>radius-email-otp</c>; each one is a small class of its own.</summary>
internal static class CommandLine
{
    // One row per command: its help (name, usage, options, subcommands) and its entry point. Add new commands here,
    // with a CommandHelp declared next to their code: "--help" on them then works without more code.
    private static readonly (CommandHelp Help, Func<CommandArgs, Task<int>> Run)[] s_commands =
    [
        (ServeCommand.Help, ServeCommand.RunAsync),
        (CheckConfigCommand.Help, CheckConfigCommand.RunAsync),
        (TokenCommand.Help, TokenCommand.RunAsync),
        (ChallengeCommand.Help, ChallengeCommand.RunAsync),
        (ResolverCommand.Help, ResolverCommand.RunAsync),
        (TestEmailCommand.Help, TestEmailCommand.RunAsync),
        (BackupCommand.Help, BackupCommand.RunAsync),
        (RestoreCommand.Help, RestoreCommand.RunAsync),
        (AuditCommand.Help, AuditCommand.RunAsync),
        (DbCommand.Help, DbCommand.RunAsync),
    ];

    /// <summary>Every command's help, for the top-level usage and the tests that run <c>--help</c> on each.</summary>
    internal static IReadOnlyList<CommandHelp> Commands { get; } = [.. s_commands.Select(c => c.Help)];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            PrintUsage(args.Length == 0 ? Console.Error : Console.Out);
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] is "--version" or "-V")
        {
            Console.Out.WriteLine(BuildInfo.NameAndVersion);
            return 0;
        }

        if (args[0] == "help")
        {
            // "help token enroll" is "token enroll --help".
            return args.Length == 1 ? PrintUsage(Console.Out) : await RunAsync([.. args[1..], "--help"]);
        }

        foreach (var (help, run) in s_commands)
        {
            if (help.Name == args[0])
            {
                var commandArgs = new CommandArgs(args.AsMemory(1));
                if (commandArgs.HelpRequested)
                {
                    help.For(commandArgs.Positional).Write(Console.Out);
                    return 0;
                }

                // Only enrolling (one token or an import file) may create the token database and its key (behaviour.md §6:
                // a failing command leaves nothing behind).
                TokenCommandSupport.MayCreateStore = args is ["token", "enroll" or "import", ..];
                return await GuardAsync(help.Name, () => run(commandArgs));
            }
        }

        Console.Error.WriteLine($"{BuildInfo.ProgramName}: unknown command \"{args[0]}\" (try --help)");
        return 2;
    }

    /// <summary>
    /// Runs one command so that no failure escapes as a stack trace: usage errors exit 2, anything unexpected (a file
    /// that changed since it was checked, a bug) is one line on stderr and exit 1 (behaviour.md §6).
    /// </summary>
    internal static async Task<int> GuardAsync(string command, Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (CommandLineException ex)
        {
            Console.Error.WriteLine($"{BuildInfo.ProgramName} {command}: {ex.Message}");
            return 2;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine(ErrorLine(command, ex));
            return 1;
        }
    }

    /// <summary>"radius-email-otp COMMAND: error: MESSAGE" on one line, whatever the exception's message holds.</summary>
    internal static string ErrorLine(string command, Exception ex)
    {
        var message = string.Join("; ", ex.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return $"{BuildInfo.ProgramName} {command}: error: {(message.Length == 0 ? ex.GetType().Name : message)}";
    }

    private static int PrintUsage(TextWriter writer)
    {
        writer.WriteLine($"usage: {BuildInfo.ProgramName} <command> [options]");
        writer.WriteLine($"       {BuildInfo.ProgramName} <command> --help      the options of one command (also: help <command> [<subcommand>])");
        writer.WriteLine($"       {BuildInfo.ProgramName} --version");
        writer.WriteLine();
        writer.WriteLine("commands:");
        var width = s_commands.Max(c => c.Help.Name.Length);
        foreach (var (help, _) in s_commands)
        {
            writer.WriteLine($"  {help.Name.PadRight(width)}  {help.Summary}");
        }

        writer.WriteLine();
        writer.WriteLine($"Every command reads its configuration from {DefaultConfigPath.Rule}.");
        return 0;
    }
}
