using System.Globalization;

namespace RadiusEmailOtp.Cli;

/// <summary><c>audit list [--user U] [--limit N] [--json]</c>: the admin changes, newest first.</summary>
internal static class AuditCommand
{
    public static readonly CommandHelp Help = new(
        "audit",
        "list [--user U] [--limit N] [--json]",
        "Show the audit trail of admin changes (never a PIN).",
        [])
    {
        Subcommands =
        [
            new(
                "audit list",
                "[--user U] [--limit N] [--json]",
                "List who changed which token and when, newest first.",
                [
                    new("--user U", "only the records of this person (SUDO_USER under sudo, else the OS account)"),
                    new("--limit N", "at most N records (default 100)"),
                    new("--json", "print a JSON array (time, user, os_user, action, serial, detail) instead of a table"),
                ]),
        ],
    };

    private const int DefaultLimit = 100;

    public static async Task<int> RunAsync(CommandArgs args)
    {
        var sub = args.Positional.Count > 0 ? args.Positional[0] : throw new CommandLineException("missing subcommand: audit list");
        if (sub != "list")
        {
            throw new CommandLineException($"unknown subcommand \"{sub}\": audit list");
        }

        var user = args.Option("user");
        var limitText = args.Option("limit");
        var json = args.Flag("json");
        if (args.Positional.Count > 1)
        {
            throw new CommandLineException($"unexpected argument \"{args.Positional[1]}\"");
        }

        args.EnsureAllUsed(allowPositional: true);
        var limit = DefaultLimit;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            throw new CommandLineException($"--limit must be a whole number of at least 1, not \"{limitText}\"");
        }

        using var storage = await TokenCommandSupport.OpenStorageAsync(ConfigCommandSupport.LoadOrThrow(args.ConfigPath), CancellationToken.None);
        var entries = await storage.Store.ListAuditAsync(user, limit, CancellationToken.None);
        if (json)
        {
            TokenCommandSupport.WriteJson(entries.Select(e => new
            {
                time = e.Time,
                user = e.User,
                os_user = e.OsUser,
                action = e.Action,
                serial = e.Serial,
                detail = e.Detail,
            }));
            return 0;
        }

        TokenCommandSupport.WriteTable(
            ["TIME", "USER", "ACTION", "SERIAL", "DETAIL"],
            entries.Select(e => (IReadOnlyList<string>)
            [
                TokenCommandSupport.Time(e.Time), e.User == e.OsUser ? e.User : $"{e.User} (as {e.OsUser})", e.Action, e.Serial ?? "-", e.Detail,
            ]));
        return 0;
    }
}
