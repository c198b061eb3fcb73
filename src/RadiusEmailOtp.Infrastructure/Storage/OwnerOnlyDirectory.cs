namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// Creates directories that only their owner may enter (0700): the data directory holds the token database and its key,
/// the outbox holds OTP mails. An existing directory keeps the mode the admin gave it.
/// </summary>
internal static class OwnerOnlyDirectory
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Owner read/write: the mode of every file written there (mails, key, database).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            // The directory itself gets the mode (limited further by the umask, never widened); parents created on the
            // way get the default, as mkdir -p -m does.
            Directory.CreateDirectory(path, Mode);
        }
    }
}
