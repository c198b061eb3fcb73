using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// One process per data directory: an exclusive flock(2) on <c>data_dir/radius-email-otp.lock</c>, held for the life of
/// the process (the kernel drops it when the process dies, even on kill -9), with the holder's PID written inside so a
/// refused process can name it. Taken before anything in the directory is read or written.
/// libc is called directly because .NET's FileStream takes its own flock for FileShare emulation, which would make the
/// loser unable even to read the PID.
/// </summary>
public sealed class DataDirLock : IDisposable
{
    public const string FileName = "radius-email-otp.lock";

    private readonly SafeFileHandle _handle;

    private DataDirLock(SafeFileHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    public string Path { get; }

    /// <summary>
    /// Takes the lock, creating <paramref name="dataDir"/> (0700) and the lock file (0600) when missing. Throws
    /// <see cref="DataDirLockedException"/> when another process holds it, <see cref="IOException"/> on any other failure.
    /// </summary>
    public static DataDirLock Acquire(string dataDir)
    {
        var path = System.IO.Path.Combine(dataDir, FileName);
        OwnerOnlyDirectory.Create(dataDir);
        var fd = open(path, ReadWrite | Create | CloseOnExec, OwnerReadWrite);
        if (fd < 0)
        {
            throw Error("open", path);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (flock(handle, LockExclusive | LockNonBlocking) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            if (errno == WouldBlock)
            {
                throw new DataDirLockedException(path, ReadHolderPid(path));
            }

            throw new IOException($"flock {path}: {new Win32Exception(errno).Message}", errno);
        }

        var pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        if (ftruncate(handle, 0) != 0 || write(handle, pid, pid.Length) != pid.Length)
        {
            var error = Error("write", path);
            handle.Dispose();
            throw error;
        }

        return new DataDirLock(handle, path);
    }

    public void Dispose() => _handle.Dispose();

    private static int? ReadHolderPid(string path)
    {
        // libc's read: the holder's flock is advisory and does not stop it (File.ReadAllText would wait for a shared flock).
        var fd = open(path, ReadOnly | CloseOnExec, 0);
        if (fd < 0)
        {
            return null;
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var buffer = new byte[32];
        var length = read(handle, buffer, buffer.Length);
        var text = length > 0 ? Encoding.ASCII.GetString(buffer, 0, (int)length).Trim() : "";
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private static IOException Error(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} {path}: {new Win32Exception(errno).Message}", errno);
    }

    // Linux values (x86-64 and arm64 alike).
    private const int ReadOnly = 0x0;
    private const int ReadWrite = 0x2;
    private const int Create = 0x40;
    private const int CloseOnExec = 0x80000;
    private const int OwnerReadWrite = 0x180; // 0600
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int WouldBlock = 11; // EWOULDBLOCK

#pragma warning disable IDE1006 // libc's own names
    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(SafeFileHandle fd, int operation);

    [DllImport("libc", SetLastError = true)]
    private static extern int ftruncate(SafeFileHandle fd, long length);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(SafeFileHandle fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(SafeFileHandle fd, byte[] buffer, nint count);
#pragma warning restore IDE1006
}
