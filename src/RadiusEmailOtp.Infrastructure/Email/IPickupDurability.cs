namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// How the pickup provider makes a batch of written temp files durable before it renames them, and the renames
/// durable after. Only the provider's one flusher calls <see cref="FlushFiles"/> and <see cref="FlushDirectory"/>.
/// </summary>
internal interface IPickupDurability : IDisposable
{
    /// <summary>True when <see cref="FlushFiles"/> needs every temp file still open.</summary>
    bool NeedsHandles { get; }

    /// <summary>
    /// Called before a temp file is created in <paramref name="directory"/> (which then exists); throws
    /// <see cref="IOException"/> when the directory cannot be used.
    /// </summary>
    void BeforeWrite(string directory);

    /// <summary>
    /// Makes the content of every file durable. Throws <see cref="IOException"/> when none of them can be trusted;
    /// marks a single file's <see cref="PickupFile.Error"/> when only that one failed.
    /// </summary>
    void FlushFiles(string directory, IReadOnlyList<PickupFile> files);

    /// <summary>Makes the names created in <paramref name="directory"/> durable; throws <see cref="IOException"/>.</summary>
    void FlushDirectory(string directory);
}
