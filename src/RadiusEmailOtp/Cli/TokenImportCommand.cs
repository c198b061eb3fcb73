using System.Text;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// <c>token import [--skip-existing] FILE</c> (FILE <c>-</c> = stdin): bulk enrolment from CSV (<see cref="TokenImportFile"/>),
/// all or nothing. The whole file is checked before the store is opened; a user who already has a token fails the import
/// unless <c>--skip-existing</c>, which leaves that token as it is.
/// </summary>
internal static class TokenImportCommand
{
    private const int SerialAttempts = 5;
    private const int UsersNamed = 10;

    public static readonly CommandHelp Help = new(
        "token import",
        "[--skip-existing] FILE|-",
        "Enrol tokens from a CSV file (- = stdin), all or nothing; the whole file is checked before anything is written.",
        [new("--skip-existing", "import the other rows and leave users who already have a token unchanged")]);

    public static async Task<int> RunAsync(CommandArgs args)
    {
        var skipExisting = args.Flag("skip-existing");
        if (args.Positional.Count != 2)
        {
            throw new CommandLineException(args.Positional.Count < 2
                ? "missing the CSV file to import (a path, or - for standard input)"
                : $"unexpected argument \"{args.Positional[2]}\"");
        }

        var path = args.Positional[1];
        args.EnsureAllUsed(allowPositional: true);
        var config = ConfigCommandSupport.LoadOrThrow(args.ConfigPath);
        var rows = ReadFile(path, config.Realm, config.EmailToken.OtpLength);
        if (rows.Count == 0)
        {
            Console.Out.WriteLine(Summary(0, 0, skipExisting));
            return 0;
        }

        using var storage = await TokenCommandSupport.OpenStorageAsync(config, CancellationToken.None);
        var random = CryptoRandomSource.Instance;
        var now = TimeProvider.System.GetUtcNow();
        // Hashing the PINs and sealing the seeds is a good part of an import's time; the protector is thread-safe (the server
        // shares it across requests), so it runs on every core.
        var tokens = new EmailToken[rows.Count];
        Parallel.For(0, tokens.Length, i => tokens[i] = rows[i].Input.Create(storage.Protector, random, config.EmailToken.MaxFail, now));
        // One audit record per imported token, in the import's transaction.
        var store = storage.Store.WithAudit(AuditActor.Entry("token import", path == "-" ? "file=stdin" : $"file={Path.GetFileName(path)}"));
        var result = await StoreAsync(store, storage.Protector, random, tokens, skipExisting, CancellationToken.None);
        if (result.ExistingUsers.Count > 0)
        {
            throw new CommandLineException(ExistingUsersMessage(path, result.ExistingUsers, rows));
        }

        Console.Out.WriteLine(Summary(result.Imported, result.Skipped, skipExisting));
        return 0;
    }

    /// <summary>
    /// Imports the tokens, giving a fresh serial to every one whose serial is taken and trying again (2^32 serials:
    /// a collision is likely enough in a batch of thousands). Returns a committed result or one naming existing users.
    /// </summary>
    internal static async Task<TokenImportResult> StoreAsync(
        IOtpStore store, TokenProtector protector, IRandomSource random, EmailToken[] tokens, bool skipExisting, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < SerialAttempts; attempt++)
        {
            var result = await store.ImportTokensAsync(tokens, skipExisting, cancellationToken);
            if (result.Committed || result.ExistingUsers.Count > 0)
            {
                return result;
            }

            var taken = result.TakenSerials.ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < tokens.Length; i++)
            {
                if (taken.Contains(tokens[i].Serial))
                {
                    tokens[i] = TokenFactory.Reserial(tokens[i], protector, random);
                }
            }
        }

        throw new CommandLineException("could not find free serials; nothing imported, try again");
    }

    private static IReadOnlyList<(int Line, NewTokenInput Input)> ReadFile(string path, RealmSettings realms, int defaultOtpLength)
    {
        if (path == "-")
        {
            // The console's decoder replaces bytes it cannot read with U+FFFD instead of failing as the file reader
            // does: a PIN stored that way could never be typed, so such input is refused.
            var text = Console.In.ReadToEnd();
            var bad = text.IndexOf('\uFFFD', StringComparison.Ordinal);
            if (bad >= 0)
            {
                var line = 1 + text.AsSpan(0, bad).Count('\n');
                throw new CommandLineException($"{FileName(path)} line {line}: not valid UTF-8 text; nothing imported");
            }

            return TokenImportFile.Read(new StringReader(text), FileName(path), realms, defaultOtpLength);
        }

        try
        {
            using var reader = new StreamReader(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
            return TokenImportFile.Read(reader, path, realms, defaultOtpLength);
        }
        catch (DecoderFallbackException)
        {
            throw new CommandLineException($"{path} is not UTF-8 text; save it as UTF-8 (CSV UTF-8) and import again");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandLineException($"cannot read {path}: {ex.Message}");
        }
    }

    private static string ExistingUsersMessage(string path, IReadOnlyList<UserIdentity> users, IReadOnlyList<(int Line, NewTokenInput Input)> rows)
    {
        var lines = rows.ToDictionary(r => new UserIdentity(r.Input.User, r.Input.Realm), r => r.Line);
        var named = string.Join(", ", users.Take(UsersNamed).Select(u => lines.TryGetValue(u, out var line) ? $"{u} (line {line})" : u.ToString()));
        var more = users.Count > UsersNamed ? $" and {users.Count - UsersNamed} more" : string.Empty;
        var who = users.Count == 1 ? $"{named} already has a token" : $"{users.Count} users already have a token: {named}{more}";
        return $"{FileName(path)}: {who}; nothing imported (--skip-existing imports the others and leaves those tokens unchanged)";
    }

    private static string FileName(string path) => path == "-" ? "stdin" : path;

    private static string Summary(int imported, int skipped, bool skipExisting)
    {
        var tokens = imported == 1 ? "imported 1 token" : $"imported {imported} tokens";
        return skipExisting ? $"{tokens}, skipped {skipped} existing" : tokens;
    }
}
