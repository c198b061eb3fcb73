using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// The few libc calls .NET does not offer: a descriptor on a directory (FileStream refuses directories), fsync on it
/// (makes renames inside it durable) and Linux's syncfs (flushes the whole file system in one call). Unix only.
/// The descriptor is a <see cref="SafeFileHandle"/>: it cannot be closed while a call uses it.
/// </summary>
internal static class PosixDirectory
{
    private const int ReadOnly = 0;

    // Linux's O_CLOEXEC on every architecture .NET runs on; elsewhere the descriptor lives only for a moment.
    private const int LinuxCloseOnExec = 0x80000;

    /// <summary>Opens <paramref name="path"/> for fsync/syncfs; throws <see cref="IOException"/> (DirectoryNotFoundException when it is missing).</summary>
    public static SafeFileHandle Open(string path)
    {
        var fd = open(path, OperatingSystem.IsLinux() ? ReadOnly | LinuxCloseOnExec : ReadOnly);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno == 2 // ENOENT
                ? new DirectoryNotFoundException($"{path}: {new Win32Exception(errno).Message}")
                : new IOException($"{path}: {new Win32Exception(errno).Message}", errno);
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>fsync(2) of the directory: the names created or renamed in it survive a power loss.</summary>
    public static void Fsync(SafeFileHandle fd, string path) => Check(fsync(fd), "fsync", path);

    /// <summary>
    /// syncfs(2), Linux only: writes back every dirty file of the file system holding <paramref name="fd"/> and waits
    /// for it. Since Linux 5.8 it reports any write-back error of that file system since <paramref name="fd"/> was opened.
    /// </summary>
    public static void SyncFileSystem(SafeFileHandle fd, string path) => Check(syncfs(fd), "syncfs", path);

    private static void Check(int result, string call, string path)
    {
        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{call} {path}: {new Win32Exception(errno).Message}", errno);
        }
    }

#pragma warning disable IDE1006 // libc's own names
    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(SafeFileHandle fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int syncfs(SafeFileHandle fd);
#pragma warning restore IDE1006
}
