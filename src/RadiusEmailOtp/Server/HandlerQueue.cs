namespace RadiusEmailOtp.Server;

/// <summary>
/// Lets a fixed number of handlers run at once; the others wait here, oldest first, where their age can be seen. An
/// answer after max_request_time is wasted (the NAS has given up on that try), so no work starts for a request that
/// can no longer be answered in time:
/// <list type="bullet">
/// <item>a request arriving behind a queue whose oldest entry has waited half of max_request_time is refused at once,
/// without waiting: in a first-come queue it would wait about as long, and the other half is for the work itself
/// (a PIN step may wait send_wait for its mail). Under sustained overload the queue wait thus stays near half of
/// max_request_time and the excess is refused on arrival, instead of every request waiting until it is too late;</item>
/// <item>a request still waiting when max_request_time is up (the handlers stalled after it was let in) is shed when a
/// slot frees or by <see cref="Sweep"/>, whichever comes first.</item>
/// </list>
/// A slot is handed straight to the next waiter, so a free slot means an empty queue. Thread-safe.
/// </summary>
internal sealed class HandlerQueue<T>
    where T : class
{
    private readonly Lock _lock = new();
    private readonly Queue<(T Item, long Arrived)> _waiting = new();
    private readonly TimeProvider _time;
    private readonly int _maxRunning;
    private readonly TimeSpan _maxWait;
    private readonly TimeSpan _admitWhileOldestBelow;
    private int _running;

    public HandlerQueue(TimeProvider time, int maxRunning, TimeSpan maxWait)
    {
        _time = time;
        _maxRunning = maxRunning;
        _maxWait = maxWait;
        _admitWhileOldestBelow = maxWait / 2;
    }

    public enum Admission
    {
        /// <summary>A slot was free: the caller runs the handler now and calls <see cref="Leave"/> when it is done.</summary>
        Start,

        /// <summary>The request waits; <see cref="Leave"/> hands it a slot or <see cref="Sweep"/> sheds it.</summary>
        Queued,

        /// <summary>The queue is too far behind for this request to be answered in time; it was not queued.</summary>
        Refused,
    }

    public int Running
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Admits a request that arrived at timestamp <paramref name="arrived"/>; <paramref name="oldestWait"/> tells a refused one why.</summary>
    public Admission Enter(T item, long arrived, out TimeSpan oldestWait)
    {
        lock (_lock)
        {
            oldestWait = TimeSpan.Zero;
            if (_running < _maxRunning)
            {
                _running++;
                return Admission.Start;
            }

            if (_waiting.TryPeek(out var oldest))
            {
                oldestWait = _time.GetElapsedTime(oldest.Arrived);
                if (oldestWait >= _admitWhileOldestBelow)
                {
                    return Admission.Refused;
                }
            }

            _waiting.Enqueue((item, arrived));
            return Admission.Queued;
        }
    }

    /// <summary>
    /// Called when a handler is done: returns the oldest waiter still in time (the slot passes to it; start it), or null
    /// (the slot is free). Waiters past max_request_time met on the way are added to <paramref name="shed"/>.
    /// </summary>
    public T? Leave(ref List<(T Item, TimeSpan Waited)>? shed)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            while (_waiting.TryDequeue(out var next))
            {
                var waited = _time.GetElapsedTime(next.Arrived, now);
                if (waited <= _maxWait)
                {
                    return next.Item;
                }

                (shed ??= []).Add((next.Item, waited));
            }

            _running--;
            return null;
        }
    }

    /// <summary>
    /// Sheds waiters past max_request_time even while no slot frees (a store that hangs). Only the head is looked at:
    /// the queue is in arrival order, so when the oldest is in time, so is everyone behind it.
    /// </summary>
    public void Sweep(ref List<(T Item, TimeSpan Waited)>? shed)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            while (_waiting.TryPeek(out var oldest) && _time.GetElapsedTime(oldest.Arrived, now) is var waited && waited > _maxWait)
            {
                _waiting.Dequeue();
                (shed ??= []).Add((oldest.Item, waited));
            }
        }
    }
}
