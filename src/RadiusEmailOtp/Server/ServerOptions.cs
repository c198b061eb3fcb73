namespace RadiusEmailOtp.Server;

/// <summary>The knobs of the request pipeline, taken from <c>[server]</c>.</summary>
internal sealed record ServerOptions(
    int MaxAttributes,
    TimeSpan RejectDelay,
    TimeSpan CleanupDelay,
    TimeSpan MaxRequestTime,
    int MaxInFlight = ServerOptions.DefaultMaxInFlight,
    int MaxRunningHandlers = ServerOptions.DefaultMaxRunningHandlers)
{
    /// <summary>
    /// Access-Requests admitted and not yet answered: waiting for a handler, in one, or sitting out reject_delay. A memory
    /// bound (a few KB each), no longer what keeps waits short: that is max_request_time's job (see <see cref="HandlerQueue{T}"/>).
    /// With reject_delay = 1 it caps rejects at about 4,096 a second, far above what people logging in produce.
    /// </summary>
    public const int DefaultMaxInFlight = 4096;

    /// <summary>
    /// Handlers running at once. Enough for the store and the cores (a reject costs well under a millisecond) and for PIN
    /// steps that each wait up to send_wait for their mail (256 slots hold ~85 PIN steps a second behind a silent SMTP
    /// server); few enough that the wait happens in the server's own queue, where its age is seen, and not in the thread
    /// pool's, where a request cannot be told from one that arrived a moment ago.
    /// </summary>
    public const int DefaultMaxRunningHandlers = 256;

    /// <summary>Prints every packet's attributes at debug level (serve --debug / -X); null: no packet dumps.</summary>
    public PacketTracer? Tracer { get; init; }
}
