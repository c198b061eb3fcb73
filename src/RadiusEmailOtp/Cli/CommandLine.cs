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
                try
                {
                    return await run(new CommandArgs(args.AsMemory(1)));
                }
                catch (CommandLineException ex)
                {
                    Console.Error.WriteLine($"radius-email-otp {args[0]}: {ex.Message}");
                    return 2;
                }
            }
        }

        Console.Error.WriteLine($"radius-email-otp: unknown command \"{args[0]}\" (try --help)");
        return 2;
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
