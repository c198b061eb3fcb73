namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// Keeps a pickup directory from growing without end and from keeping OTPs around: at start it removes the hidden
/// temp files a crash left behind, and it deletes <c>.eml</c> files older than <c>RETENTION_DAYS</c> at start and then
/// every <see cref="Period"/> (0 days keeps every mail). Only the serving process runs it: a temp file is a leftover only
/// when no server is writing its batch, which the data directory's lock guarantees for that process.
/// </summary>
internal sealed class PickupOutboxMaintenance : IDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    private readonly string _directory;
    private readonly int _retentionDays;
    private readonly TimeProvider _time;
    private ITimer? _timer;

    public PickupOutboxMaintenance(string directory, int retentionDays, TimeProvider time)
    {
        _directory = directory;
        _retentionDays = retentionDays;
        _time = time;
    }

    /// <summary>Removes the leftovers and expired mails now, then starts the periodic clean-up; returns what went.</summary>
    public (int Leftovers, int Expired) Start()
    {
        var leftovers = RemoveLeftovers();
        var expired = DeleteExpired();
        if (_retentionDays > 0)
        {
            _timer = _time.CreateTimer(static state => ((PickupOutboxMaintenance)state!).DeleteExpired(), this, Period, Period);
        }

        return (leftovers, expired);
    }

    /// <summary>Deletes the hidden temp files (<c>.NAME.eml.tmp</c>) of batches a crash cut off; never a finished mail.</summary>
    public int RemoveLeftovers() => Delete(".*.eml.tmp", _ => true);

    /// <summary>Deletes the <c>.eml</c> files last written more than the retention ago (0 days: none).</summary>
    public int DeleteExpired()
    {
        if (_retentionDays <= 0)
        {
            return 0;
        }

        var cutoff = _time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(_retentionDays);
        return Delete("*.eml", file => file.LastWriteTimeUtc < cutoff);
    }

    public void Dispose() => _timer?.Dispose();

    private int Delete(string pattern, Func<FileInfo, bool> select)
    {
        var deleted = 0;
        try
        {
            foreach (var file in new DirectoryInfo(_directory).EnumerateFiles(pattern, new EnumerationOptions { AttributesToSkip = 0, MatchType = MatchType.Simple }))
            {
                if (!select(file))
                {
                    continue;
                }

                try
                {
                    file.Delete();
                    deleted++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Best effort: a file that cannot go now is tried again at the next round.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No directory yet (nothing was ever written) or not readable: nothing to clean; sending reports real problems.
        }

        return deleted;
    }
}
