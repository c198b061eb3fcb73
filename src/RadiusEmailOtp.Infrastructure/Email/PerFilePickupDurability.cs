namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// The portable way: each temp file of the batch is flushed on its own handle (fsync; F_FULLFSYNC on macOS), then
/// the directory is fsynced once on Unix. Windows has no directory flush; NTFS journals the rename itself.
/// </summary>
internal sealed class PerFilePickupDurability : IPickupDurability
{
    public bool NeedsHandles => true;

    public void BeforeWrite(string directory)
    {
        // The provider creates the directory when the first file cannot be created.
    }

    public void FlushFiles(string directory, IReadOnlyList<PickupFile> files)
    {
        foreach (var file in files)
        {
            try
            {
                RandomAccess.FlushToDisk(file.Handle!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                file.Error = ex.Message;
            }
        }
    }

    public void FlushDirectory(string directory) => FsyncDirectory(directory);

    public void Dispose()
    {
    }

    internal static void FsyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var fd = PosixDirectory.Open(directory);
        PosixDirectory.Fsync(fd, directory);
    }
}
