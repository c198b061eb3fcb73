using System.Collections.Concurrent;

namespace RadiusEmailOtp.Server;

/// <summary>What the server has seen since start; read by tests and the shutdown summary.</summary>
internal sealed class ServerCounters
{
    /// <summary>The drop reason of requests that ran out of max_request_time and were dropped unanswered under load.</summary>
    public const string ShedReason = "shed";

    private readonly ConcurrentDictionary<string, long> _drops = new(StringComparer.Ordinal);
    private long _received;
    private long _duplicates;
    private long _accepts;
    private long _rejects;
    private long _challenges;
    private long _statusServer;

    public long Received => Interlocked.Read(ref _received);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Accepts => Interlocked.Read(ref _accepts);

    public long Rejects => Interlocked.Read(ref _rejects);

    public long Challenges => Interlocked.Read(ref _challenges);

    public long StatusServer => Interlocked.Read(ref _statusServer);

    public long TotalDropped => _drops.Values.Sum();

    /// <summary>Requests dropped unanswered because they could not be answered within max_request_time.</summary>
    public long Shed => DroppedFor(ShedReason);

    public IReadOnlyDictionary<string, long> Drops => _drops;

    public long DroppedFor(string reason) => _drops.GetValueOrDefault(reason);

    public void CountReceived() => Interlocked.Increment(ref _received);

    public void CountDuplicate() => Interlocked.Increment(ref _duplicates);

    public void CountStatusServer() => Interlocked.Increment(ref _statusServer);

    public void CountDrop(string reason) => _drops.AddOrUpdate(reason, 1, static (_, n) => n + 1);

    public void CountShed() => CountDrop(ShedReason);

    public void CountReply(Radius.RadiusCode code)
    {
        switch (code)
        {
            case Radius.RadiusCode.AccessAccept:
                Interlocked.Increment(ref _accepts);
                break;
            case Radius.RadiusCode.AccessReject:
                Interlocked.Increment(ref _rejects);
                break;
            case Radius.RadiusCode.AccessChallenge:
                Interlocked.Increment(ref _challenges);
                break;
        }
    }
}
