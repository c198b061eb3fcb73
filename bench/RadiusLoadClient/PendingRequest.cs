namespace RadiusLoadClient;

/// <summary>A request on the wire: its Request Authenticator (to check the reply), when it left, and who waits.</summary>
internal sealed class PendingRequest
{
    public PendingRequest(byte[] authenticator, long deadline)
    {
        Authenticator = authenticator;
        Deadline = deadline;
    }

    public byte[] Authenticator { get; }

    /// <summary>Stopwatch timestamp after which the request counts as unanswered.</summary>
    public long Deadline { get; }

    /// <summary>Stopwatch timestamp taken just before the datagram was handed to the kernel.</summary>
    public long SentAt { get; set; }

    // Continuations run inline on the thread that completes (a receive loop): a closed-loop worker then builds and
    // sends its next request without a thread hop, as an event loop would.
    public TaskCompletionSource<RequestResult> Completion { get; } = new(TaskCreationOptions.None);
}
