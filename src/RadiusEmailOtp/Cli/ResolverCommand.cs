using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Ldap;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Users;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// <c>resolver test NAME --user U [--password -]</c>: looks the user up as the server would and prints <c>dn:</c>,
/// <c>email:</c> and <c>groups:</c> lines, with <c>--password -</c> (first line of stdin) also <c>password: ok|wrong</c>.
/// The password is never printed. Exit 0 when the user is found, 1 when unknown or the directory cannot be asked.
/// </summary>
internal static class ResolverCommand
{
    public const string Usage = "resolver test NAME --user U [--password -]";

    public static readonly CommandHelp Help = new(
        "resolver",
        "test NAME --user U [--password -]",
        "Look a user up in an LDAP resolver as the server would: dn, email and groups; never a password.",
        [])
    {
        Subcommands =
        [
            new(
                "resolver test",
                "NAME --user U [--password -]",
                "Print dn:, email: and groups: for the user; exit 0 when found, 1 when unknown or the directory cannot be asked.",
                [
                    new("--user U", "the login name, as a NAS would send it"),
                    new("--password -", "read a password from the first line of stdin and print password: ok|wrong (one bind)"),
                ]),
        ],
    };

    public static async Task<int> RunAsync(CommandArgs args)
    {
        if (args.Positional is not ["test", var name])
        {
            throw new CommandLineException($"usage: {Usage}");
        }

        var login = RealmResolver.NormaliseUser(args.RequiredOption("user"));
        var passwordOption = args.Option("password");
        args.EnsureAllUsed(allowPositional: true);
        if (passwordOption is not (null or "-"))
        {
            throw new CommandLineException("--password takes only \"-\" (the password is read from the first line of stdin, never from the command line)");
        }

        var password = passwordOption is null ? null : Console.In.ReadLine() ?? throw new CommandLineException("--password -: no password on standard input");
        var config = ConfigCommandSupport.LoadOrThrow(args.ConfigPath);
        var settings = Find(config, name);
        using var resolver = new LdapUserResolver(settings, new StderrWarningLogger("resolver"), TimeProvider.System);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var found = await resolver.FindAsync(new UserIdentity(login, config.Realm.Default), timeout.Token);
        switch (found.Status)
        {
            case UserLookupStatus.Unavailable:
                Console.Error.WriteLine($"radius-email-otp resolver: error: resolver \"{name}\" could not be asked (see the warnings above)");
                return 1;
            case UserLookupStatus.NotFound:
                Console.Error.WriteLine($"radius-email-otp resolver: user \"{login}\" not found in resolver \"{name}\"");
                return 1;
        }

        var user = found.User!;
        Console.Out.WriteLine($"dn: {user.Id}");
        Console.Out.WriteLine($"email: {user.Email ?? "(none)"}");

        // Group lookups are not part of this version: the line says so rather than suggest the user has none.
        Console.Out.WriteLine("groups: (not read)");
        if (password is not null)
        {
            var check = await resolver.CheckPasswordAsync(user, password, timeout.Token);
            if (check == PasswordCheckResult.Unavailable)
            {
                Console.Error.WriteLine($"radius-email-otp resolver: error: the password could not be checked (see the warnings above)");
                return 1;
            }

            Console.Out.WriteLine($"password: {(check == PasswordCheckResult.Ok ? "ok" : "wrong")}");
        }

        return 0;
    }

    private static LdapResolverSettings Find(AppConfig config, string name)
    {
        var settings = config.Resolvers.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
        if (settings is null)
        {
            var known = config.Resolvers.Count == 0 ? "none" : string.Join(", ", config.Resolvers.Select(r => r.Name));
            throw new CommandLineException($"no LDAP resolver named \"{name}\" in the configuration (configured: {known})");
        }

        return settings;
    }
}
