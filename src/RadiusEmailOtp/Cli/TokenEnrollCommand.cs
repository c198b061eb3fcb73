using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// <c>token enroll</c>: creates an e-mail token with a server-side seed and prints only its serial.
/// Everything is validated (by <see cref="TokenFieldRules"/>, as <c>token import</c> does) before the database is touched.
/// </summary>
internal static class TokenEnrollCommand
{
    private const int SerialAttempts = 5;

    public static readonly CommandHelp Help = new(
        "token enroll",
        "--user U (--email ADDR --pin PIN|- | for a directory user: [--pin PIN|-]) [--realm R] [--otp-length 6|8] [--hash sha1|sha256|sha512] [--description TEXT]",
        "Create an e-mail token with a server-side seed (never shown) and print its serial.",
        [
            new("--user U", "the user name (required)"),
            new("--email ADDR", "where the OTPs are mailed; without it the user must be in a directory resolver of the realm, and each mail goes to the address the directory holds at that moment"),
            new("--pin PIN|-", "the token PIN (required with --email); - reads it from the first line of stdin; a directory user's token gets a random one when omitted (otppin = password checks the directory password)"),
            new("--realm R", "the realm (default: [realm] default)"),
            new("--otp-length 6|8", "digits per OTP (default: [email_token] otp_length)"),
            new("--hash sha1|sha256|sha512", "the HOTP hash (default sha1)"),
            new("--description TEXT", "a free text shown by token list"),
        ]);

    public static async Task<int> RunAsync(CommandArgs args)
    {
        var user = args.RequiredOption("user");
        var realm = args.Option("realm");
        var emailOption = args.Option("email");
        var email = emailOption is null ? null : TokenCommandSupport.ValidateEmail(emailOption);
        var pin = emailOption is null && args.Option("pin") is null ? null : TokenCommandSupport.ReadPin(args);
        var otpLength = args.Option("otp-length");
        var hash = args.Option("hash");
        var description = args.Option("description");
        if (args.Positional.Count > 1)
        {
            throw new CommandLineException($"unexpected argument \"{args.Positional[1]}\"");
        }

        args.EnsureAllUsed(allowPositional: true);
        var config = ConfigCommandSupport.LoadOrThrow(args.ConfigPath);
        var resolver = EmailToken.LocalResolver;
        if (email is null)
        {
            var (userName, realmName) = TokenCommandSupport.CheckOption(() => TokenFieldRules.UserAndRealm(user, realm, config.Realm));
            (resolver, var current) = await DirectoryEnrolment.FindAsync(config, userName, realmName);
            Console.Error.WriteLine($"radius-email-otp token enroll: {userName}@{realmName} found in resolver \"{resolver}\"; mails go to its current address ({current ?? "none yet: the user gets the send-failed reply until the directory holds one"})");
        }

        var input = TokenCommandSupport.CheckOption(
            () => TokenFieldRules.Validate(user, realm, email, pin ?? TokenFactory.RandomPin(CryptoRandomSource.Instance), otpLength, hash, description, config.Realm, config.EmailToken.OtpLength));

        using var storage = await TokenCommandSupport.OpenStorageAsync(config, CancellationToken.None);
        var random = CryptoRandomSource.Instance;
        var token = input.Create(storage.Protector, random, config.EmailToken.MaxFail, TimeProvider.System.GetUtcNow()) with { Resolver = resolver };
        var store = storage.Store.WithAudit(AuditActor.Entry("token enroll", Otp.Storage.AuditDetail.Of(token)));
        for (var i = 0; i < SerialAttempts; i++)
        {
            if (await store.AddTokenAsync(token, CancellationToken.None))
            {
                Console.Out.WriteLine(token.Serial);
                return 0;
            }

            token = TokenFactory.Reserial(token, storage.Protector, random);
        }

        throw new CommandLineException("could not find a free serial; try again");
    }
}
