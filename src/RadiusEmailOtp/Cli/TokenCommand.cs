using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Cli;

/// <summary><c>token enroll|import|list|show|enable|disable|reset|delete|set-pin|set-email</c>.</summary>
internal static class TokenCommand
{
    public const string Usage = "token enroll|import|list|show|enable|disable|reset|delete|set-pin|set-email";

    public static readonly CommandHelp Help = new("token", "SUBCOMMAND [options]", "Manage e-mail tokens.", [])
    {
        Subcommands =
        [
            TokenEnrollCommand.Help,
            TokenImportCommand.Help,
            new(
                "token list",
                "[--user U] [--realm R] [--json]",
                "List tokens (the seed and the PIN are never shown).",
                [new("--user U", "only this user's tokens"), new("--realm R", "only this realm's tokens"), new("--json", "print a JSON array instead of a table")]),
            new("token show", "SERIAL [--json]", "Show one token.", [new("--json", "print a JSON object")]),
            new("token enable", "SERIAL", "Enable a token.", []),
            new("token disable", "SERIAL", "Disable a token: its user cannot log in with it.", []),
            new("token reset", "SERIAL", "Reset the failcount, which unlocks a locked token.", []),
            new("token delete", "SERIAL", "Delete a token and its challenges.", []),
            new("token set-pin", "SERIAL --pin PIN|-", "Set a new PIN.", [new("--pin PIN|-", "the new PIN (required); - reads it from the first line of stdin")]),
            new("token set-email", "SERIAL --email ADDR", "Set the address the OTPs are mailed to.", [new("--email ADDR", "the new address (required)")]),
        ],
    };

    public static Task<int> RunAsync(CommandArgs args)
    {
        var sub = args.Positional.Count > 0 ? args.Positional[0] : throw new CommandLineException($"missing subcommand: {Usage}");
        return sub switch
        {
            "enroll" => TokenEnrollCommand.RunAsync(args),
            "import" => TokenImportCommand.RunAsync(args),
            "list" => ListAsync(args),
            "show" => ShowAsync(args),
            "enable" => UpdateAsync(args, "enabled", (s, serial) => s.SetActiveAsync(serial, true, CancellationToken.None)),
            "disable" => UpdateAsync(args, "disabled", (s, serial) => s.SetActiveAsync(serial, false, CancellationToken.None)),
            "reset" => UpdateAsync(args, "failcount reset", (s, serial) => s.ResetFailCountAsync(serial, CancellationToken.None)),
            "delete" => DeleteAsync(args),
            "set-pin" => SetPinAsync(args),
            "set-email" => SetEmailAsync(args),
            _ => throw new CommandLineException($"unknown subcommand \"{sub}\": {Usage}"),
        };
    }

    private static async Task<int> ListAsync(CommandArgs args)
    {
        var user = args.Option("user");
        var realm = args.Option("realm");
        var json = args.Flag("json");
        if (args.Positional.Count > 1)
        {
            throw new CommandLineException($"unexpected argument \"{args.Positional[1]}\"");
        }

        args.EnsureAllUsed(allowPositional: true);
        var config = ConfigCommandSupport.LoadOrThrow(args.ConfigPath);
        using var storage = await TokenCommandSupport.OpenStorageAsync(config, CancellationToken.None);
        var tokens = await storage.Store.ListTokensAsync(user is null ? null : RealmResolver.NormaliseUser(user), realm is null ? null : RealmResolver.NormaliseRealm(realm), CancellationToken.None);
        if (json)
        {
            TokenCommandSupport.WriteJson(tokens.Select(TokenCommandSupport.ToJson));
            return 0;
        }

        TokenCommandSupport.WriteTable(
            ["SERIAL", "USER", "REALM", "EMAIL", "ACTIVE", "FAIL", "COUNTER", "HASH", "DIGITS", "DESCRIPTION"],
            tokens.Select(t => (IReadOnlyList<string>)
            [
                t.Serial, t.User, t.Realm, TokenCommandSupport.EmailText(t), t.Active ? (t.IsLocked ? "locked" : "yes") : "no", $"{t.FailCount}/{t.MaxFail}",
                t.Counter.ToString(System.Globalization.CultureInfo.InvariantCulture), OtpHashAlgorithmNames.ToName(t.Hash),
                t.OtpLength.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Description,
            ]));
        return 0;
    }

    private static async Task<int> ShowAsync(CommandArgs args)
    {
        var json = args.Flag("json");
        var serial = TokenCommandSupport.SerialArgument(args);
        args.EnsureAllUsed(allowPositional: true);
        using var storage = await TokenCommandSupport.OpenStorageAsync(ConfigCommandSupport.LoadOrThrow(args.ConfigPath), CancellationToken.None);
        var token = await storage.Store.GetTokenAsync(serial, CancellationToken.None)
            ?? throw new CommandLineException($"no token with serial {serial}");
        if (json)
        {
            TokenCommandSupport.WriteJson(TokenCommandSupport.ToJson(token));
            return 0;
        }

        // The seed and the PIN hash are never shown.
        Console.Out.WriteLine($"serial:      {token.Serial}");
        Console.Out.WriteLine($"user:        {token.User}");
        Console.Out.WriteLine($"realm:       {token.Realm}");
        Console.Out.WriteLine($"email:       {TokenCommandSupport.EmailText(token)}");
        Console.Out.WriteLine($"resolver:    {token.Resolver}");
        Console.Out.WriteLine($"origin:      {(token.AutoEnrolled ? "autoenroll" : "admin")}");
        Console.Out.WriteLine($"active:      {(token.Active ? "yes" : "no")}");
        Console.Out.WriteLine($"locked:      {(token.IsLocked ? "yes" : "no")}");
        Console.Out.WriteLine($"failcount:   {token.FailCount}/{token.MaxFail}");
        Console.Out.WriteLine($"counter:     {token.Counter}");
        Console.Out.WriteLine($"hash:        {OtpHashAlgorithmNames.ToName(token.Hash)}");
        Console.Out.WriteLine($"otp_length:  {token.OtpLength}");
        Console.Out.WriteLine($"description: {token.Description}");
        Console.Out.WriteLine($"created:     {TokenCommandSupport.Time(token.Created)}");
        Console.Out.WriteLine($"updated:     {TokenCommandSupport.Time(token.Updated)}");
        return 0;
    }

    // Every change goes through an audited view of the store: the change and its audit record commit together.
    private static async Task<int> UpdateAsync(CommandArgs args, string done, Func<Otp.Storage.IOtpStore, string, Task<bool>> update)
    {
        var serial = TokenCommandSupport.SerialArgument(args);
        args.EnsureAllUsed(allowPositional: true);
        using var storage = await TokenCommandSupport.OpenStorageAsync(ConfigCommandSupport.LoadOrThrow(args.ConfigPath), CancellationToken.None);
        if (!await update(storage.Store.WithAudit(AuditActor.Entry($"token {args.Positional[0]}")), serial))
        {
            throw new CommandLineException($"no token with serial {serial}");
        }

        Console.Out.WriteLine($"{serial}: {done}");
        return 0;
    }

    // The token's owner goes into the record: once the token is gone, the serial alone says little.
    private static Task<int> DeleteAsync(CommandArgs args) =>
        UpdateWithStorageAsync(args, "deleted", async (storage, serial) =>
        {
            var token = await storage.Store.GetTokenAsync(serial, CancellationToken.None);
            return token is not null
                && await storage.Store.WithAudit(AuditActor.Entry("token delete", Otp.Storage.AuditDetail.Of(token))).DeleteTokenAsync(serial, CancellationToken.None);
        });

    // The record says that the PIN changed, never what it is.
    private static Task<int> SetPinAsync(CommandArgs args)
    {
        var pin = TokenCommandSupport.ReadPin(args);
        return UpdateWithStorageAsync(args, "PIN set", (storage, serial) =>
        {
            var (salt, hash) = storage.Protector.HashPin(pin);
            return storage.Store.WithAudit(AuditActor.Entry("token set-pin")).SetPinAsync(serial, salt, hash, CancellationToken.None);
        });
    }

    private static Task<int> SetEmailAsync(CommandArgs args)
    {
        var email = TokenCommandSupport.ValidateEmail(args.RequiredOption("email"));
        return UpdateWithStorageAsync(args, $"e-mail set to {email}", (storage, serial) =>
            storage.Store.WithAudit(AuditActor.Entry("token set-email", $"email={email}")).SetEmailAsync(serial, email, CancellationToken.None));
    }

    private static async Task<int> UpdateWithStorageAsync(
        CommandArgs args, string done, Func<Infrastructure.Storage.OtpStorage, string, Task<bool>> update)
    {
        var serial = TokenCommandSupport.SerialArgument(args);
        args.EnsureAllUsed(allowPositional: true);
        using var storage = await TokenCommandSupport.OpenStorageAsync(ConfigCommandSupport.LoadOrThrow(args.ConfigPath), CancellationToken.None);
        if (!await update(storage, serial))
        {
            throw new CommandLineException($"no token with serial {serial}");
        }

        Console.Out.WriteLine($"{serial}: {done}");
        return 0;
    }
}
