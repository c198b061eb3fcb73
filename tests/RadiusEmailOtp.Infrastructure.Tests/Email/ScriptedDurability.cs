using RadiusEmailOtp.Infrastructure.Email;

namespace RadiusEmailOtp.Infrastructure.Tests.Email;

/// <summary>
/// The pickup provider's durability with a script around the real one: it records every batch, can hold the first
/// flush until the test releases it (so the next batch gathers), can run an action first, and can fail.
/// </summary>
internal sealed class ScriptedDurability(IPickupDurability inner) : IPickupDurability
{
    private readonly ManualResetEventSlim _release = new(false);
    private int _flushes;

    public List<int> BatchSizes { get; } = [];

    public bool HoldFirstFlush { get; init; }

    public ManualResetEventSlim FirstFlushStarted { get; } = new(false);

    public Action? BeforeFlush { get; init; }

    public IOException? FailFiles { get; init; }

    public IOException? FailDirectory { get; init; }

    public int DirectoryFlushes { get; private set; }

    public bool NeedsHandles => inner.NeedsHandles;

    public void Release() => _release.Set();

    public void BeforeWrite(string directory) => inner.BeforeWrite(directory);

    public void FlushFiles(string directory, IReadOnlyList<PickupFile> files)
    {
        BatchSizes.Add(files.Count);
        if (Interlocked.Increment(ref _flushes) == 1 && HoldFirstFlush)
        {
            FirstFlushStarted.Set();
            _release.Wait(TimeSpan.FromSeconds(30));
        }

        BeforeFlush?.Invoke();
        if (FailFiles is not null)
        {
            throw FailFiles;
        }

        inner.FlushFiles(directory, files);
    }

    public void FlushDirectory(string directory)
    {
        DirectoryFlushes++;
        if (FailDirectory is not null)
        {
            throw FailDirectory;
        }

        inner.FlushDirectory(directory);
    }

    public void Dispose()
    {
        inner.Dispose();
        _release.Dispose();
        FirstFlushStarted.Dispose();
    }
}
