using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// Linux: one syncfs(2) per batch instead of one fsync per file. The directory descriptor syncfs goes through is
/// opened before the first temp file is written and kept, because syncfs reports the write-back errors of the file
/// system since that descriptor was opened: an error while the kernel wrote a temp file in the background, before
/// the batch was flushed, still fails that batch.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class SyncfsPickupDurability : IPickupDurability
{
    private readonly Lock _lock = new();
    private SafeFileHandle? _directory;

    public bool NeedsHandles => false;

    public void BeforeWrite(string directory)
    {
        if (Volatile.Read(ref _directory) is not null)
        {
            return;
        }

        lock (_lock)
        {
            if (_directory is not null)
            {
                return;
            }

            SafeFileHandle opened;
            try
            {
                opened = PosixDirectory.Open(directory);
            }
            catch (DirectoryNotFoundException)
            {
                Storage.OwnerOnlyDirectory.Create(directory);
                opened = PosixDirectory.Open(directory);
            }

            Volatile.Write(ref _directory, opened);
        }
    }

    public void FlushFiles(string directory, IReadOnlyList<PickupFile> files) => PosixDirectory.SyncFileSystem(_directory!, directory);

    public void FlushDirectory(string directory) => PerFilePickupDurability.FsyncDirectory(directory);

    public void Dispose() => _directory?.Dispose();
}
