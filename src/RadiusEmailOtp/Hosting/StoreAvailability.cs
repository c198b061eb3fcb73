using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Server;

namespace RadiusEmailOtp.Hosting;

/// <summary>
/// Whether the store answered last time, shared by the request handler and the background store tasks: the first
/// failure and then one line per minute while it stays down (Warning, "store unavailable: …"), one Information line
/// when a store call succeeds again.
/// </summary>
internal sealed class StoreAvailability
{
    public static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    private readonly ILogger _logger;
    private readonly LogRateLimiter _limiter;
    private int _down;

    public StoreAvailability(ILogger logger, TimeProvider time)
    {
        _logger = logger;
        _limiter = new LogRateLimiter(time, WarningInterval);
    }

    public bool IsDown => Volatile.Read(ref _down) == 1;

    /// <summary>A store call failed for want of the database (<paramref name="reason"/> holds no secret).</summary>
    public void Unavailable(string reason)
    {
        Volatile.Write(ref _down, 1);
        if (_limiter.ShouldLog("store", out var suppressed))
        {
            StoreLog.Unavailable(_logger, reason, suppressed);
        }
    }

    /// <summary>The store could not be made ready (a key of another database, a newer schema): an error, rate-limited alike.</summary>
    public void OpenFailed(string reason)
    {
        Volatile.Write(ref _down, 1);
        if (_limiter.ShouldLog("store", out var suppressed))
        {
            StoreLog.OpenFailed(_logger, reason, suppressed);
        }
    }

    /// <summary>A store call failed otherwise (a statement the database refused): an error line, one a minute; the store is not taken for down.</summary>
    public void Failed(string reason)
    {
        if (_limiter.ShouldLog("error", out var suppressed))
        {
            StoreLog.Failed(_logger, reason, suppressed);
        }
    }

    /// <summary>A store call succeeded; logs once when the store was down before.</summary>
    public void Available(string what)
    {
        if (Volatile.Read(ref _down) == 1 && Interlocked.Exchange(ref _down, 0) == 1)
        {
            StoreLog.Available(_logger, what);
        }
    }
}
