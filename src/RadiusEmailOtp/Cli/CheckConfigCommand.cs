using RadiusEmailOtp.Radius.Dictionary;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// <c>check-config</c>: prints every problem of the configuration with its line, and loads the dictionary it names
/// (a broken dictionary stops <c>serve</c> too); exit 1 on errors.
/// </summary>
internal static class CheckConfigCommand
{
    public static readonly CommandHelp Help = new(
        "check-config",
        string.Empty,
        "Validate the configuration and the dictionary it names; print every problem with file and line, exit 1 on errors.",
        []);

    public static Task<int> RunAsync(CommandArgs args)
    {
        args.EnsureAllUsed();
        var config = ConfigCommandSupport.LoadAndReport(args.ConfigPath, Console.Error);
        if (config is null)
        {
            return Task.FromResult(1);
        }

        RadiusDictionary dictionary;
        try
        {
            dictionary = RadiusDictionary.Load(config.Server.Dictionary);
        }
        catch (DictionaryException ex)
        {
            Console.Error.WriteLine($"{ex.Message} (the dictionary of [server] dictionary = \"{config.Server.Dictionary}\")");
            return Task.FromResult(1);
        }

        Console.Out.WriteLine(
            $"{args.ConfigPath}: OK ({BuildInfo.NameAndVersion}; {config.Clients.Count} clients, {config.Server.Listen.Count} listen addresses, " +
            $"{config.EmailProviders.Count} e-mail providers, {config.Policies.Count} policies, {dictionary.AttributeCount} dictionary attributes)");
        return Task.FromResult(0);
    }
}
