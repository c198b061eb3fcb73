using System.Security.Cryptography;

namespace RadiusEmailOtp.Radius;

/// <summary>Encrypts and decrypts Tunnel-Password values (RFC 2868 §3.5, FreeRADIUS encrypt=2).</summary>
public static class TunnelPassword
{
    /// <summary>The longest password that still fits one attribute: 3 + 16·⌈(1 + n)/16⌉ ≤ 253.</summary>
    public const int MaxLength = 239;

    /// <summary>The largest tag value RFC 2868 §3.1 allows.</summary>
    public const byte MaxTag = 0x1F;

    private const int BlockLength = 16;

    /// <summary>Encrypts a password into a Tunnel-Password value: tag, salt with its high bit set, encrypted length and password.</summary>
    public static byte[] Encrypt(
        ReadOnlySpan<byte> password, byte tag, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> requestAuthenticator, ushort salt)
    {
        if (password.Length > MaxLength)
        {
            throw new ArgumentException($"A Tunnel-Password holds at most {MaxLength} octets.", nameof(password));
        }

        if (tag > MaxTag)
        {
            throw new ArgumentOutOfRangeException(nameof(tag), tag, "A tag is 0 to 31 (RFC 2868 §3.1).");
        }

        if (requestAuthenticator.Length != RadiusWire.AuthenticatorLength)
        {
            throw new ArgumentException("The Request Authenticator is 16 octets.", nameof(requestAuthenticator));
        }

        // RFC 2868 §3.5: the most significant bit of the Salt MUST be set.
        salt |= 0x8000;

        // RFC 2868 §3.5: the plain text is a length octet, the password, then NUL padding to a multiple of 16.
        var blocks = (1 + password.Length + BlockLength - 1) / BlockLength;
        var value = new byte[3 + (blocks * BlockLength)];
        value[0] = tag;
        value[1] = (byte)(salt >> 8);
        value[2] = (byte)salt;
        value[3] = (byte)password.Length;
        password.CopyTo(value.AsSpan(4));

        Span<byte> seed = stackalloc byte[RadiusWire.AuthenticatorLength + 2];
        requestAuthenticator.CopyTo(seed);
        seed[RadiusWire.AuthenticatorLength] = value[1];
        seed[RadiusWire.AuthenticatorLength + 1] = value[2];
        UserPassword.Transform(value.AsSpan(3), secret, seed, encrypt: true);
        return value;
    }

    /// <summary>Decrypts a Tunnel-Password value; false when it is malformed or its length octet does not fit.</summary>
    public static bool TryDecrypt(
        ReadOnlySpan<byte> value,
        ReadOnlySpan<byte> secret,
        ReadOnlySpan<byte> requestAuthenticator,
        out byte tag,
        out byte[] password)
    {
        tag = 0;
        password = [];
        var encryptedLength = value.Length - 3;
        if (value.Length > RadiusWire.MaxValueLength || encryptedLength < BlockLength || encryptedLength % BlockLength != 0
            || requestAuthenticator.Length != RadiusWire.AuthenticatorLength)
        {
            return false;
        }

        Span<byte> seed = stackalloc byte[RadiusWire.AuthenticatorLength + 2];
        requestAuthenticator.CopyTo(seed);
        value.Slice(1, 2).CopyTo(seed[RadiusWire.AuthenticatorLength..]);

        Span<byte> plain = stackalloc byte[RadiusWire.MaxValueLength];
        plain = plain[..encryptedLength];
        value[3..].CopyTo(plain);
        UserPassword.Transform(plain, secret, seed, encrypt: false);
        try
        {
            // RFC 2868 §3.5: the first decrypted octet is the password length; it must fit in what follows.
            int length = plain[0];
            if (length > encryptedLength - 1)
            {
                return false;
            }

            tag = value[0];
            password = plain.Slice(1, length).ToArray();
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }
}
