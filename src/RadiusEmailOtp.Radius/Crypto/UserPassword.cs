using System.Buffers;
using System.Security.Cryptography;

namespace RadiusEmailOtp.Radius;

/// <summary>Hides and reveals User-Password values (RFC 2865 §5.2).</summary>
public static class UserPassword
{
    /// <summary>The longest password RFC 2865 §5.2 allows, in octets.</summary>
    public const int MaxLength = 128;

    private const int BlockLength = 16;

    private const int StackLimit = 256;

    /// <summary>Hides a password of at most 128 octets with the shared secret and the Request Authenticator.</summary>
    public static byte[] Hide(ReadOnlySpan<byte> password, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> requestAuthenticator)
    {
        if (password.Length > MaxLength)
        {
            throw new ArgumentException($"A User-Password holds at most {MaxLength} octets.", nameof(password));
        }

        if (requestAuthenticator.Length != RadiusWire.AuthenticatorLength)
        {
            throw new ArgumentException("The Request Authenticator is 16 octets.", nameof(requestAuthenticator));
        }

        // RFC 2865 §5.2: pad with NULs to a multiple of 16; an empty password is one block of NULs.
        var blocks = Math.Max(1, (password.Length + BlockLength - 1) / BlockLength);
        var hidden = new byte[blocks * BlockLength];
        password.CopyTo(hidden);
        Transform(hidden, secret, requestAuthenticator, encrypt: true);
        return hidden;
    }

    /// <summary>Reveals a hidden password, stripping trailing NULs only; false when the length is not 16..128 in steps of 16.</summary>
    public static bool TryUnhide(
        ReadOnlySpan<byte> hidden, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> requestAuthenticator, out byte[] password)
    {
        password = [];
        if (hidden.Length < BlockLength || hidden.Length > MaxLength || hidden.Length % BlockLength != 0
            || requestAuthenticator.Length != RadiusWire.AuthenticatorLength)
        {
            return false;
        }

        Span<byte> plain = stackalloc byte[MaxLength];
        plain = plain[..hidden.Length];
        hidden.CopyTo(plain);
        Transform(plain, secret, requestAuthenticator, encrypt: false);

        // RFC 2865 §5.2: the padding is NULs; only trailing ones are removed, embedded ones stay.
        var length = plain.Length;
        while (length > 0 && plain[length - 1] == 0)
        {
            length--;
        }

        password = plain[..length].ToArray();
        CryptographicOperations.ZeroMemory(plain);
        return true;
    }

    /// <summary>Runs the RFC 2865 §5.2 MD5 stream over whole 16-octet blocks in place.</summary>
    internal static void Transform(Span<byte> data, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> seed, bool encrypt)
    {
        // b1 = MD5(S + RA), c(i) = p(i) xor b(i), b(i) = MD5(S + c(i-1)); seed is RA (or RA + salt for RFC 2868).
        var inputLength = secret.Length + Math.Max(seed.Length, BlockLength);
        byte[]? rented = null;
        var input = inputLength <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(inputLength));
        Span<byte> key = stackalloc byte[RadiusHash.Md5Length];
        Span<byte> previous = stackalloc byte[BlockLength];
        try
        {
            secret.CopyTo(input);
            seed.CopyTo(input[secret.Length..]);
            MD5.HashData(input[..(secret.Length + seed.Length)], key);
            for (var offset = 0; offset < data.Length; offset += BlockLength)
            {
                var block = data.Slice(offset, BlockLength);
                if (!encrypt)
                {
                    block.CopyTo(previous);
                }

                for (var i = 0; i < BlockLength; i++)
                {
                    block[i] ^= key[i];
                }

                // The next key chains on the cipher-text block, whichever direction we are going.
                var cipher = encrypt ? block : previous;
                cipher.CopyTo(input[secret.Length..]);
                MD5.HashData(input[..(secret.Length + BlockLength)], key);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
            CryptographicOperations.ZeroMemory(key);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
