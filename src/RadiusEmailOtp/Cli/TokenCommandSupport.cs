using System.Globalization;
using System.Text.Json;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Cli;

/// <summary>What the token and challenge commands share: opening the store, validating input, printing.</summary>
internal static class TokenCommandSupport
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    private static readonly AsyncLocal<bool> s_mayCreateStore = new();

    /// <summary>
    /// True while a command that may create the data directory runs (only <c>token enroll</c> and <c>token import</c>; <c>serve</c> opens the
    /// store itself). CommandLine decides, so every other command, present or future, opens an existing store only.
    /// </summary>
    public static bool MayCreateStore
    {
        get => s_mayCreateStore.Value;
        set => s_mayCreateStore.Value = value;
    }

    /// <summary>Opens the store; creates it only when <see cref="MayCreateStore"/>, else fails with one line and leaves nothing behind.</summary>
    public static async Task<OtpStorage> OpenStorageAsync(AppConfig config, CancellationToken cancellationToken)
    {
        try
        {
            // SQLite in data_dir or the configured PostgreSQL; an unreachable database is an error line with exit 1.
            return await OtpStorage.OpenAsync(config.Store, config.Server.DataDir, MayCreateStore, TimeProvider.System, cancellationToken);
        }
        catch (StorageException ex)
        {
            throw new CommandLineException(ex.Message);
        }
    }

    /// <summary>The <c>--email</c> value, checked by <see cref="TokenFieldRules.Email"/>.</summary>
    public static string ValidateEmail(string email) => CheckOption(() => TokenFieldRules.Email(email));

    /// <summary>
    /// The <c>--pin</c> value; <c>--pin -</c> reads it from the first line of stdin, so it never shows in the process
    /// list or the shell history (<c>printf '%s\n' "$PIN" | radius-email-otp token enroll … --pin -</c>).
    /// </summary>
    public static string ReadPin(CommandArgs args)
    {
        var pin = args.RequiredOption("pin");
        if (pin == "-")
        {
            pin = Console.In.ReadLine() ?? throw new CommandLineException("--pin -: no PIN on standard input");
        }

        return CheckOption(() => TokenFieldRules.Pin(pin));
    }

    /// <summary>Runs a <see cref="TokenFieldRules"/> check and reports a broken rule under its option's name.</summary>
    public static T CheckOption<T>(Func<T> check)
    {
        try
        {
            return check();
        }
        catch (TokenFieldException ex)
        {
            throw new CommandLineException($"{TokenFieldNames.Option(ex.Field)} {ex.Message}");
        }
    }

    public static string SerialArgument(CommandArgs args)
    {
        if (args.Positional.Count != 2)
        {
            throw new CommandLineException(args.Positional.Count < 2 ? "missing the token serial" : $"unexpected argument \"{args.Positional[2]}\"");
        }

        return args.Positional[1].Trim().ToUpperInvariant();
    }

    public static void WriteJson(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, s_json));

    public static object ToJson(EmailToken t) => new
    {
        serial = t.Serial,
        user = t.User,
        realm = t.Realm,
        email = t.UsesDirectoryAddress ? null : t.Email,
        resolver = t.Resolver,
        origin = t.AutoEnrolled ? EmailToken.AutoEnrollOrigin : EmailToken.AdminOrigin,
        active = t.Active,
        locked = t.IsLocked,
        failcount = t.FailCount,
        max_fail = t.MaxFail,
        counter = t.Counter,
        hash = OtpHashAlgorithmNames.ToName(t.Hash),
        otp_length = t.OtpLength,
        description = t.Description,
        created = t.Created,
        updated = t.Updated,
    };

    /// <summary>The address column: a token without a fixed address mails the directory's current one.</summary>
    public static string EmailText(EmailToken t) => t.UsesDirectoryAddress ? $"(from {t.Resolver})" : t.Email;

    public static string Time(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Prints rows as aligned columns.</summary>
    public static void WriteTable(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            Console.Out.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
