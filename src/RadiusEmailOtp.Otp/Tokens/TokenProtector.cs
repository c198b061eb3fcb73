using System.Security.Cryptography;
using System.Text;

namespace RadiusEmailOtp.Otp.Tokens;

/// <summary>
/// Hashes PINs and seals seeds with keys derived (HKDF-SHA256) from the 32-byte master key of the key file.
/// PIN: HMAC-SHA256(pin key, salt || UTF-8 PIN), compared in constant time. Seed: AES-256-GCM with a random nonce
/// per token and the serial as associated data, so a ciphertext copied onto another token does not open.
/// </summary>
public sealed class TokenProtector
{
    public const int MasterKeyLength = 32;
    public const int SaltLength = 16;
    public const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly byte[] _pinKey;
    private readonly byte[] _seedKey;
    private readonly IRandomSource _random;

    public TokenProtector(ReadOnlySpan<byte> masterKey, IRandomSource? random = null)
    {
        if (masterKey.Length != MasterKeyLength)
        {
            throw new ArgumentException($"the master key must be {MasterKeyLength} bytes", nameof(masterKey));
        }

        _pinKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.ToArray(), 32, info: "radius-email-otp pin hmac"u8.ToArray());
        _seedKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.ToArray(), 32, info: "radius-email-otp seed aes-gcm"u8.ToArray());
        _random = random ?? CryptoRandomSource.Instance;
    }

    public (byte[] Salt, byte[] Hash) HashPin(string pin)
    {
        var salt = new byte[SaltLength];
        _random.Fill(salt);
        return (salt, ComputePinHash(salt, pin));
    }

    public bool VerifyPin(EmailToken token, string pin) =>
        CryptographicOperations.FixedTimeEquals(ComputePinHash(token.PinSalt, pin), token.PinHash);

    /// <summary>Does the same work as <see cref="VerifyPin"/> for a user without a token, so timing tells nothing.</summary>
    public void VerifyDummyPin(string pin)
    {
        Span<byte> salt = stackalloc byte[SaltLength];
        var hash = ComputePinHash(salt.ToArray(), pin);
        _ = CryptographicOperations.FixedTimeEquals(hash, s_dummyHash);
    }

    public (byte[] Nonce, byte[] Ciphertext) SealSeed(string serial, ReadOnlySpan<byte> seed)
    {
        var nonce = new byte[NonceLength];
        _random.Fill(nonce);
        var output = new byte[seed.Length + TagLength];
        using var aes = new AesGcm(_seedKey, TagLength);
        aes.Encrypt(nonce, seed, output.AsSpan(0, seed.Length), output.AsSpan(seed.Length), Encoding.UTF8.GetBytes(serial));
        return (nonce, output);
    }

    /// <summary>Opens the seed; throws <see cref="CryptographicException"/> when the key or the row does not match.</summary>
    public byte[] OpenSeed(EmailToken token)
    {
        var length = token.SeedCiphertext.Length - TagLength;
        if (length <= 0 || token.SeedNonce.Length != NonceLength)
        {
            throw new CryptographicException($"token {token.Serial}: malformed seed ciphertext");
        }

        var seed = new byte[length];
        using var aes = new AesGcm(_seedKey, TagLength);
        aes.Decrypt(
            token.SeedNonce,
            token.SeedCiphertext.AsSpan(0, length),
            token.SeedCiphertext.AsSpan(length),
            seed,
            Encoding.UTF8.GetBytes(token.Serial));
        return seed;
    }

    /// <summary>Decrypts the seed, or returns false when it cannot be (a foreign key file or a damaged row).</summary>
    public bool TryOpenSeed(EmailToken token, out byte[] seed)
    {
        try
        {
            seed = OpenSeed(token);
            return true;
        }
        catch (CryptographicException)
        {
            seed = [];
            return false;
        }
    }

    private static readonly byte[] s_dummyHash = new byte[32];

    private byte[] ComputePinHash(byte[] salt, string pin)
    {
        var pinBytes = Encoding.UTF8.GetBytes(pin);
        var input = new byte[salt.Length + pinBytes.Length];
        salt.CopyTo(input, 0);
        pinBytes.CopyTo(input, salt.Length);
        var hash = HMACSHA256.HashData(_pinKey, input);
        CryptographicOperations.ZeroMemory(input);
        return hash;
    }
}
