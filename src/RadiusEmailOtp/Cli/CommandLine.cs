namespace RadiusEmailOtp.Cli;

/// <summary>The subcommands of <c>radius-email-otp</c>; each one is a small class of its own.</summary>
internal static class CommandLine
{
    // One row per subcommand: name, one-line help, entry point. Add new commands here.
    private static readonly (string Name, string Help, Func<CommandArgs, Task<int>> Run)[] s_commands =
    [
        ("serve", "run the RADIUS server until SIGTERM or Ctrl-C (--debug for packet-level lines)", ServeCommand.RunAsync),
        ("check-config", "validate the configuration and print every problem with its line", CheckConfigCommand.RunAsync),
        ("token", TokenCommand.Usage + ": manage e-mail tokens", TokenCommand.RunAsync),
        ("challenge", "challenge list [--user U] [--json]: open and recent challenges with their delivery", ChallengeCommand.RunAsync),
        ("test-email", "send a sample OTP mail: --to ADDR [--provider NAME] [--user U --realm R --client IP]", TestEmailCommand.RunAsync),
        ("backup", BackupCommand.Usage, BackupCommand.RunAsync),
        ("restore", RestoreCommand.Usage, RestoreCommand.RunAsync),
        ("audit", AuditCommand.Usage, AuditCommand.RunAsync),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(Console.Out);
            return args.Length == 0 ? 2 : 0;
        }

        foreach (var (name, _, run) in s_commands)
        {
            if (name == args[0])
            {
                // Only enrolling (one token or an import file) may create the token database and its key (behaviour.md §6:
                // a failing command leaves nothing behind).
                TokenCommandSupport.MayCreateStore = args is ["token", "enroll" or "import", ..];
                return await GuardAsync(name, () => run(new CommandArgs(args.AsMemory(1))));
            }
        }

        Console.Error.WriteLine($"radius-email-otp: unknown command \"{args[0]}\" (try --help)");
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
            Console.Error.WriteLine($"radius-email-otp {command}: {ex.Message}");
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
        return $"radius-email-otp {command}: error: {(message.Length == 0 ? ex.GetType().Name : message)}";
    }

    private static void PrintUsage(TextWriter writer)
    {
        writer.WriteLine("usage: radius-email-otp <command> [options]   (every command takes --config PATH, default config/config.toml)");
        foreach (var (name, help, _) in s_commands)
        {
            writer.WriteLine($"  {name,-14} {help}");
        }
    }
}
