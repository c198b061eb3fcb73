using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Hosting;

/// <summary>
/// The store's background work in <c>serve</c>: when the database was unreachable at start, opening it (migrations, key
/// check, this node's interrupted deliveries) every few seconds until it answers; then, once a minute, closing expired
/// challenges and deleting those older than <see cref="Retention"/> (on PostgreSQL one node at a time, the store takes
/// an advisory lock). Failures are logged, never fatal.
/// </summary>
internal sealed class StoreMaintenance : IAsyncDisposable
{
    /// <summary>How long answered, expired and failed challenges stay for <c>challenge list</c> and the blocking window.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    public static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan OpenRetryInterval = TimeSpan.FromSeconds(2);

    private readonly IOtpStore _store;
    private readonly Func<CancellationToken, Task>? _pendingOpen;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StoreAvailability _availability;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;

    /// <summary><paramref name="pendingOpen"/> makes the store ready (throws while it cannot); null when it was opened at start.</summary>
    public StoreMaintenance(IOtpStore store, Func<CancellationToken, Task>? pendingOpen, TimeProvider time, ILogger logger, StoreAvailability availability)
    {
        _store = store;
        _pendingOpen = pendingOpen;
        _time = time;
        _logger = logger;
        _availability = availability;
    }

    /// <summary>Completes when the store is ready (at once when it was opened at start); for tests and the host.</summary>
    public Task Ready => _ready.Task;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_pendingOpen is not null)
        {
            await OpenAsync(_pendingOpen, cancellationToken).ConfigureAwait(false);
        }

        _ready.TrySetResult();
        using var timer = new PeriodicTimer(CleanupInterval, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var deleted = await _store.CleanupAsync(_time.GetUtcNow(), Retention, cancellationToken).ConfigureAwait(false);
                StoreLog.Cleanup(_logger, deleted, (int)Retention.TotalDays);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (StoreUnavailableException ex)
            {
                _availability.Unavailable(ex.Message);
            }
            catch (Exception ex)
            {
                // A cleanup that fails (a locked database, a bug) is tried again next minute; requests go on meanwhile.
                StoreLog.CleanupFailed(_logger, ex.Message);
            }
        }
    }

    private async Task OpenAsync(Func<CancellationToken, Task> open, CancellationToken cancellationToken)
    {
        // Bounded by the server's life: stopping cancels it.
        while (true)
        {
            try
            {
                await open(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (StoreUnavailableException ex)
            {
                _availability.Unavailable(ex.Message);
            }
            catch (StorageException ex)
            {
                _availability.OpenFailed(ex.Message);
            }

            await Task.Delay(OpenRetryInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
