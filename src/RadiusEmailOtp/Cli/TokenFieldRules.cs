using System.Globalization;
using System.Net.Mail;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// The rules a new token's fields follow, in one place for <c>token enroll</c> (options), <c>token import</c> (CSV
/// columns) and <c>set-pin</c>/<c>set-email</c>. A broken rule is a <see cref="TokenFieldException"/>.
/// </summary>
internal static class TokenFieldRules
{
    public const int MinPinLength = 4;
    public const int MaxPinLength = 64;

    /// <summary>
    /// Checks and normalises every field, in column order; null means "not given" (the realm of the user name or the
    /// default realm, the configured OTP length, SHA-1, no description).
    /// </summary>
    public static NewTokenInput Validate(
        string user, string? realm, string? email, string pin, string? otpLength, string? hash, string? description, RealmSettings realms, int defaultOtpLength)
    {
        var (userName, realmName) = UserAndRealm(user, realm, realms);
        return new NewTokenInput
        {
            User = userName,
            Realm = realmName,
            // No address: a directory user's token, mailed at the directory's current address.
            Email = email is null ? string.Empty : Email(email),
            Pin = Pin(pin),
            OtpLength = otpLength is null ? defaultOtpLength : OtpLength(otpLength),
            Hash = hash is null ? OtpHashAlgorithm.Sha1 : Hash(hash),
            Description = Description(description ?? string.Empty),
        };
    }

    /// <summary>
    /// The stored user and realm. "alice@example.com" is split at the last realm separator, as the server splits a RADIUS
    /// User-Name: stored whole, the token would belong to user "alice@example.com" of the default realm, whom no login can reach.
    /// </summary>
    public static (string User, string Realm) UserAndRealm(string user, string? realm, RealmSettings settings)
    {
        var trimmed = user.Trim();
        if (trimmed.Length == 0 || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new TokenFieldException(TokenField.User, "must be a non-empty name without spaces");
        }

        var explicitRealm = realm is null ? null : RealmResolver.NormaliseRealm(realm);
        if (explicitRealm is { Length: 0 })
        {
            throw new TokenFieldException(TokenField.Realm, "must not be empty");
        }

        var defaultRealm = RealmResolver.NormaliseRealm(settings.Default);
        var separator = settings.Separator;
        var at = separator.Length == 0 ? -1 : trimmed.LastIndexOf(separator, StringComparison.Ordinal);
        if (at < 0)
        {
            return (RealmResolver.NormaliseUser(trimmed), explicitRealm ?? defaultRealm);
        }

        var userPart = trimmed[..at];
        var realmPart = RealmResolver.NormaliseRealm(trimmed[(at + separator.Length)..]);
        if (userPart.Length == 0)
        {
            throw new TokenFieldException(TokenField.User, $"{{value}} has no user name before the realm separator \"{separator}\"", trimmed);
        }

        if (explicitRealm is not null && realmPart.Length > 0 && explicitRealm != realmPart)
        {
            throw new TokenFieldException(TokenField.Realm, $"{{value}} differs from the realm \"{realmPart}\" in the user name", explicitRealm);
        }

        return (RealmResolver.NormaliseUser(userPart), explicitRealm ?? (realmPart.Length > 0 ? realmPart : defaultRealm));
    }

    /// <summary>A bare address (no display name, no spaces) that MailAddress parses back to itself.</summary>
    public static string Email(string email)
    {
        var trimmed = email.Trim();
        if (trimmed.Length == 0)
        {
            throw new TokenFieldException(TokenField.Email, "is empty");
        }

        if (trimmed.Any(char.IsWhiteSpace) || trimmed.Count(c => c == '@') != 1
            || !MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed || parsed.Host.Length == 0 || !parsed.Host.Contains('.'))
        {
            throw new TokenFieldException(TokenField.Email, "{value} is not an e-mail address like alice@example.com", email);
        }

        return trimmed;
    }

    /// <summary>Checks a PIN without ever echoing it.</summary>
    public static string Pin(string pin)
    {
        if (pin.Length == 0)
        {
            throw new TokenFieldException(TokenField.Pin, "is empty");
        }

        if (pin.Length is < MinPinLength or > MaxPinLength)
        {
            throw new TokenFieldException(TokenField.Pin, $"must be {MinPinLength} to {MaxPinLength} characters long");
        }

        if (pin.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new TokenFieldException(TokenField.Pin, "must not contain spaces or control characters");
        }

        return pin;
    }

    public static int OtpLength(string text)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var length) || length is not (6 or 8))
        {
            throw new TokenFieldException(TokenField.OtpLength, "must be 6 or 8, not {value}", text);
        }

        return length;
    }

    public static OtpHashAlgorithm Hash(string text) =>
        OtpHashAlgorithmNames.TryParse(text, out var hash)
            ? hash
            : throw new TokenFieldException(TokenField.Hash, "must be sha1, sha256 or sha512, not {value}", text);

    /// <summary>Free text, but one line: it is printed in <c>token list</c>'s table.</summary>
    public static string Description(string text) =>
        text.Any(char.IsControl)
            ? throw new TokenFieldException(TokenField.Description, "must not contain line breaks, tabs or other control characters")
            : text;
}
