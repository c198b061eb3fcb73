namespace RadiusEmailOtp.Otp.Engine;

/// <summary>Keeps every mail delivery task until it ends, so shutdown can await deliveries that outlived their reply.</summary>
internal sealed class DeliveryTracker
{
    private readonly Dictionary<long, Task> _pending = [];
    private long _next;

    public int PendingCount
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    public Task<T> Track<T>(Func<Task<T>> start)
    {
        var id = Interlocked.Increment(ref _next);
        var task = start();
        lock (_pending)
        {
            _pending[id] = task;
        }

        _ = task.ContinueWith(
            _ =>
            {
                lock (_pending)
                {
                    _pending.Remove(id);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return task;
    }

    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task[] tasks;
            lock (_pending)
            {
                tasks = [.. _pending.Values];
            }

            if (tasks.Length == 0)
            {
                return;
            }

            // Delivery tasks catch their own failures; waiting here never throws for them.
            await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
