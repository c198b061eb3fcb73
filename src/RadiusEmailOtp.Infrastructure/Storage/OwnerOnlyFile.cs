namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>New files that only their owner may read (mode 0600 from the start, not chmod after), flushed to disk.</summary>
internal static class OwnerOnlyFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> (which must not exist) holding <paramref name="content"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        using var stream = Create(path);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Creates <paramref name="path"/> (which must not exist) as a copy of <paramref name="source"/>.</summary>
    public static void Copy(string source, string path)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var stream = Create(path);
        input.CopyTo(stream);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Creates an empty <paramref name="path"/> (which must not exist).</summary>
    public static void CreateEmpty(string path)
    {
        using var _ = Create(path);
    }

    /// <summary>Flushes a finished file to disk before it is renamed into place.</summary>
    public static void Sync(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Deletes the files that exist among <paramref name="paths"/>, ignoring the ones already gone.</summary>
    public static void DeleteAll(params ReadOnlySpan<string> paths)
    {
        foreach (var path in paths)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left behind: a temp name nobody reads.
            }
        }
    }

    private static FileStream Create(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        return new FileStream(path, options);
    }
}
