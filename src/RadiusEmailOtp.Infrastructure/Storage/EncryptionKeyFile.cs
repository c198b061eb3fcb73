using System.Security.Cryptography;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// The 32-byte master key in <c>data_dir/encryption.key</c>, created once with mode 0600. It lives beside, not in, the
/// database, so a copy of the database alone opens no seed and checks no PIN.
/// </summary>
internal static class EncryptionKeyFile
{
    public const string FileName = "encryption.key";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static byte[] Create(string path)
    {
        var key = RandomNumberGenerator.GetBytes(TokenProtector.MasterKeyLength);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using var stream = new FileStream(path, options);
            stream.Write(key);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; use theirs.
            return Read(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot create the key file {path}: {ex.Message}", ex);
        }

        return key;
    }

    /// <summary>The HMAC of the key that the database keeps in <c>store_meta.key_check</c>, so a foreign key is recognised.</summary>
    public static byte[] CheckValue(ReadOnlySpan<byte> key) => HMACSHA256.HashData(key, "radius-email-otp key check"u8);

    public static byte[] Read(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & ~(OwnerOnly | UnixFileMode.UserExecute)) != 0)
            {
                throw new StorageException($"the key file {path} is accessible to other users; run: chmod 600 {path}");
            }
        }

        byte[] key;
        try
        {
            key = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot read the key file {path}: {ex.Message}", ex);
        }

        if (key.Length != TokenProtector.MasterKeyLength)
        {
            throw new StorageException($"the key file {path} must hold exactly {TokenProtector.MasterKeyLength} bytes, found {key.Length}");
        }

        return key;
    }
}
