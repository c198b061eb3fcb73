using RadiusEmailOtp.Radius.Dictionary;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// <c>check-config</c>: prints every problem of the configuration with its line, and loads the dictionary it names
/// (a broken dictionary stops <c>serve</c> too); exit 1 on errors. With <c>--connect</c> every LDAP resolver binds with
/// its service account and reads its base DN, and a PostgreSQL store is reached and its schema version read.
/// </summary>
internal static class CheckConfigCommand
{
    public static readonly CommandHelp Help = new(
        "check-config",
        string.Empty,
        "Validate the configuration and the dictionary it names; print every problem with file and line, exit 1 on errors.",
        [new("--connect", "also bind with each LDAP resolver's service account and read its base DN once, and reach a PostgreSQL store")]);

    public static async Task<int> RunAsync(CommandArgs args)
    {
        var connect = args.Flag("connect");
        args.EnsureAllUsed();
        var config = ConfigCommandSupport.LoadAndReport(args.ConfigPath, Console.Error);
        if (config is null)
        {
            return 1;
        }

        RadiusDictionary dictionary;
        try
        {
            dictionary = RadiusDictionary.Load(config.Server.Dictionary);
        }
        catch (DictionaryException ex)
        {
            Console.Error.WriteLine($"{ex.Message} (the dictionary of [server] dictionary = \"{config.Server.Dictionary}\")");
            return 1;
        }

        // Both checks run, so one run names every unreachable service.
        if (connect && !(await ResolverConnectCheck.RunAsync(config) & await StoreConnectCheck.RunAsync(config)))
        {
            return 1;
        }

        Console.Out.WriteLine(
            $"{args.ConfigPath}: OK ({BuildInfo.NameAndVersion}; {config.Clients.Count} clients, {config.Server.Listen.Count} listen addresses, " +
            $"{config.EmailProviders.Count} e-mail providers, {config.Policies.Count} policies, {dictionary.AttributeCount} dictionary attributes)");
        return 0;
    }
}
