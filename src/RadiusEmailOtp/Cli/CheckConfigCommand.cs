namespace RadiusEmailOtp.Cli;

/// <summary><c>check-config</c>: prints every problem of the configuration with its line; exit 1 on errors.</summary>
internal static class CheckConfigCommand
{
    public static Task<int> RunAsync(CommandArgs args)
    {
        args.EnsureAllUsed();
        var config = ConfigCommandSupport.LoadAndReport(args.ConfigPath, Console.Error);
        if (config is null)
        {
            return Task.FromResult(1);
        }

        Console.Out.WriteLine($"{args.ConfigPath}: OK ({config.Clients.Count} clients, {config.Server.Listen.Count} listen addresses)");
        return Task.FromResult(0);
    }
}
