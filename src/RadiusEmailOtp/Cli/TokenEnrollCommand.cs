using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// <c>token enroll</c>: creates an e-mail token with a server-side seed and prints only its serial.
/// Everything is validated before the database is touched.
/// </summary>
internal static class TokenEnrollCommand
{
    private const int SerialAttempts = 5;

    public static async Task<int> RunAsync(CommandArgs args)
    {
        var user = args.RequiredOption("user").Trim();
        var realmOption = args.Option("realm");
        var email = TokenCommandSupport.ValidateEmail(args.RequiredOption("email"));
        var pin = TokenCommandSupport.ReadPin(args);
        var otpLengthText = args.Option("otp-length");
        var hashText = args.Option("hash");
        var description = args.Option("description") ?? string.Empty;
        if (args.Positional.Count > 1)
        {
            throw new CommandLineException($"unexpected argument \"{args.Positional[1]}\"");
        }

        args.EnsureAllUsed(allowPositional: true);
        if (user.Length == 0 || user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new CommandLineException("--user must be a non-empty name without spaces");
        }

        var config = ConfigCommandSupport.LoadOrThrow(args.ConfigPath);
        var otpLength = config.EmailToken.OtpLength;
        if (otpLengthText is not null && !(int.TryParse(otpLengthText, out otpLength) && otpLength is 6 or 8))
        {
            throw new CommandLineException($"--otp-length must be 6 or 8, not \"{otpLengthText}\"");
        }

        var hash = OtpHashAlgorithm.Sha1;
        if (hashText is not null && !OtpHashAlgorithmNames.TryParse(hashText, out hash))
        {
            throw new CommandLineException($"--hash must be sha1, sha256 or sha512, not \"{hashText}\"");
        }

        (user, var realm) = SplitUser(user, realmOption, config.Realm);

        using var storage = await TokenCommandSupport.OpenStorageAsync(config, CancellationToken.None);
        var random = CryptoRandomSource.Instance;
        var token = TokenFactory.Create(
            storage.Protector, random, user, realm, email, pin, hash, otpLength, config.EmailToken.MaxFail, description, TimeProvider.System.GetUtcNow());
        for (var i = 0; i < SerialAttempts; i++)
        {
            if (await storage.Store.AddTokenAsync(token, CancellationToken.None))
            {
                Console.Out.WriteLine(token.Serial);
                return 0;
            }

            token = TokenFactory.Reserial(token, storage.Protector, random);
        }

        throw new CommandLineException("could not find a free serial; try again");
    }

    /// <summary>
    /// "alice@example.com" is split at the last realm separator, as the server splits a RADIUS User-Name: stored whole,
    /// the token would belong to user "alice@example.com" of the default realm, whom no login can reach.
    /// </summary>
    private static (string User, string Realm) SplitUser(string user, string? realmOption, RealmSettings settings)
    {
        var realm = realmOption is null ? null : RealmResolver.NormaliseRealm(realmOption);
        if (realm is { Length: 0 })
        {
            throw new CommandLineException("--realm must not be empty");
        }

        var separator = settings.Separator;
        var at = separator.Length == 0 ? -1 : user.LastIndexOf(separator, StringComparison.Ordinal);
        if (at < 0)
        {
            return (user, realm ?? RealmResolver.NormaliseRealm(settings.Default));
        }

        var userPart = user[..at];
        var realmPart = RealmResolver.NormaliseRealm(user[(at + separator.Length)..]);
        if (userPart.Length == 0)
        {
            throw new CommandLineException($"--user \"{user}\" has no user name before the realm separator \"{separator}\"");
        }

        if (realm is not null && realmPart.Length > 0 && realm != realmPart)
        {
            throw new CommandLineException($"--user names realm \"{realmPart}\" but --realm is \"{realm}\"");
        }

        return (userPart, realm ?? (realmPart.Length > 0 ? realmPart : RealmResolver.NormaliseRealm(settings.Default)));
    }
}
