namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>Another process holds the data directory's lock.</summary>
public sealed class DataDirLockedException(string path, int? holderPid)
    : IOException(holderPid is { } pid
        ? $"{path} is held by another radius-email-otp process (PID {pid})"
        : $"{path} is held by another radius-email-otp process")
{
    public int? HolderPid { get; } = holderPid;
}
