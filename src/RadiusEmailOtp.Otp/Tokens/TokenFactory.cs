using System.Security.Cryptography;
using RadiusEmailOtp.Otp.Realms;

namespace RadiusEmailOtp.Otp.Tokens;

/// <summary>Creates a new e-mail token: a server-side random seed (never shown), sealed at once, and the PIN hashed.</summary>
public static class TokenFactory
{
    public static EmailToken Create(
        TokenProtector protector,
        IRandomSource random,
        string user,
        string realm,
        string email,
        string pin,
        OtpHashAlgorithm hash,
        int otpLength,
        int maxFail,
        string description,
        DateTimeOffset now)
    {
        var serial = SerialGenerator.Next(random);
        var seed = new byte[OtpHashAlgorithmNames.SeedLength(hash)];
        random.Fill(seed);
        var (nonce, ciphertext) = protector.SealSeed(serial, seed);
        CryptographicOperations.ZeroMemory(seed);
        var (salt, pinHash) = protector.HashPin(pin);
        return new EmailToken(
            serial, RealmResolver.NormaliseUser(user), RealmResolver.NormaliseRealm(realm), email, salt, pinHash, nonce, ciphertext, hash, otpLength, 0, 0, maxFail, true, description, now, now);
    }

    private const int RandomPinLength = 32;

    /// <summary>
    /// A PIN nobody knows, for a directory user's token (otppin = password checks the directory password instead): if the
    /// realm ever leaves that mode, no password (the empty one included) matches it until an admin sets one.
    /// </summary>
    public static string RandomPin(IRandomSource random)
    {
        Span<byte> bytes = stackalloc byte[RandomPinLength];
        random.Fill(bytes);
        var pin = new char[RandomPinLength];
        for (var i = 0; i < pin.Length; i++)
        {
            pin[i] = (char)('a' + (bytes[i] % 26));
        }

        return new string(pin);
    }

    /// <summary>The same token under a fresh serial (after a rare serial collision); the seed is re-sealed for the new serial.</summary>
    public static EmailToken Reserial(EmailToken token, TokenProtector protector, IRandomSource random)
    {
        var seed = protector.OpenSeed(token);
        var serial = SerialGenerator.Next(random);
        var (nonce, ciphertext) = protector.SealSeed(serial, seed);
        CryptographicOperations.ZeroMemory(seed);
        return token with { Serial = serial, SeedNonce = nonce, SeedCiphertext = ciphertext };
    }
}
