using System.Globalization;
using RadiusEmailOtp.Otp.Realms;

namespace RadiusEmailOtp.Cli;

/// <summary><c>challenge list</c>: challenges with their delivery outcome. The OTP is never stored, so never shown.</summary>
internal static class ChallengeCommand
{
    public static readonly CommandHelp Help = new(
        "challenge",
        "list [--user U] [--json]",
        "Inspect challenges (the OTPs themselves are never stored).",
        [])
    {
        Subcommands =
        [
            new(
                "challenge list",
                "[--user U] [--json]",
                "List open and recent challenges with their delivery outcome (provider, Message-ID, error, time).",
                [new("--user U", "only this user's challenges"), new("--json", "print a JSON array instead of a table")]),
        ],
    };

    public static async Task<int> RunAsync(CommandArgs args)
    {
        var sub = args.Positional.Count > 0 ? args.Positional[0] : throw new CommandLineException("missing subcommand: challenge list");
        if (sub != "list")
        {
            throw new CommandLineException($"unknown subcommand \"{sub}\": challenge list");
        }

        var user = args.Option("user");
        var json = args.Flag("json");
        if (args.Positional.Count > 1)
        {
            throw new CommandLineException($"unexpected argument \"{args.Positional[1]}\"");
        }

        args.EnsureAllUsed(allowPositional: true);
        using var storage = await TokenCommandSupport.OpenStorageAsync(ConfigCommandSupport.LoadOrThrow(args.ConfigPath), CancellationToken.None);
        var challenges = await storage.Store.ListChallengesAsync(user is null ? null : RealmResolver.NormaliseUser(user), CancellationToken.None);
        if (json)
        {
            TokenCommandSupport.WriteJson(challenges.Select(c => new
            {
                id = c.Id,
                state = c.State,
                serial = c.Serial,
                user = c.User,
                realm = c.Realm,
                client = c.Client,
                counter = c.Counter,
                created = c.Created,
                expires = c.Expires,
                status = Name(c.Status),
                attempts = c.Attempts,
                delivery = Name(c.Delivery),
                provider = c.Provider,
                message_id = c.MessageId,
                delivery_error = c.DeliveryError,
                delivery_ms = c.DeliveryDuration is { } d ? (long?)d.TotalMilliseconds : null,
            }));
            return 0;
        }

        TokenCommandSupport.WriteTable(
            ["ID", "SERIAL", "USER", "REALM", "CLIENT", "CREATED", "EXPIRES", "STATUS", "TRIES", "DELIVERY", "PROVIDER", "MESSAGE-ID"],
            challenges.Select(c => (IReadOnlyList<string>)
            [
                c.Id.ToString(CultureInfo.InvariantCulture), c.Serial, c.User, c.Realm, c.Client, TokenCommandSupport.Time(c.Created),
                TokenCommandSupport.Time(c.Expires), Name(c.Status), c.Attempts.ToString(CultureInfo.InvariantCulture),
                Name(c.Delivery)
                    + (c.DeliveryDuration is { } d ? $" in {(long)d.TotalMilliseconds} ms" : string.Empty)
                    + (c.DeliveryError is null ? string.Empty : $" ({c.DeliveryError})"),
                c.Provider ?? "-", c.MessageId ?? "-",
            ]));
        return 0;
    }

    // The same lower-case words the store writes, for the table and the JSON alike.
    private static string Name(Enum value) => value.ToString().ToLowerInvariant();
}
