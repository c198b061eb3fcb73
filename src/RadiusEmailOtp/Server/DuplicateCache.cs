using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;

namespace RadiusEmailOtp.Server;

/// <summary>
/// RFC 5080 §2.2.2 duplicate detection. Key: source address and port, local address and port, Identifier.
/// Same key and same Request Authenticator: ignored while processing, answered with the cached reply afterwards
/// (for <c>cleanup_delay</c>). Same key with another authenticator is a new request.
/// </summary>
internal sealed class DuplicateCache
{
    private static readonly TimeSpan s_abandonedAfter = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<Key, Entry> _entries = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public DuplicateCache(TimeProvider time, TimeSpan lifetime)
    {
        _time = time;
        _lifetime = lifetime;
    }

    public enum Verdict
    {
        New,
        InProgress,
        Replied,
    }

    public int Count => _entries.Count;

    /// <summary>Claims the request as new, or says it is a duplicate (and hands out the cached reply when there is one).</summary>
    public Verdict Check(IPEndPoint source, IPEndPoint local, byte identifier, ReadOnlySpan<byte> authenticator, out byte[]? cachedReply)
    {
        var key = new Key(source, local, identifier);
        var now = _time.GetTimestamp();
        var fresh = new Entry(authenticator.ToArray(), now);
        while (true)
        {
            if (!_entries.TryGetValue(key, out var existing))
            {
                if (_entries.TryAdd(key, fresh))
                {
                    cachedReply = null;
                    return Verdict.New;
                }

                continue;
            }

            var sameRequest = CryptographicOperations.FixedTimeEquals(existing.Authenticator, authenticator);
            if (sameRequest && !IsExpired(existing, now))
            {
                cachedReply = existing.Reply;
                return cachedReply is null ? Verdict.InProgress : Verdict.Replied;
            }

            if (_entries.TryUpdate(key, fresh, existing))
            {
                cachedReply = null;
                return Verdict.New;
            }
        }
    }

    /// <summary>Stores the reply that was sent, so a retransmit gets the identical bytes.</summary>
    public void Complete(IPEndPoint source, IPEndPoint local, byte identifier, byte[] reply)
    {
        var key = new Key(source, local, identifier);
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.Reply = reply;
            entry.RepliedAt = _time.GetTimestamp();
        }
    }

    /// <summary>Forgets a request that got no reply (dropped after the check), so a retransmit is processed again.</summary>
    public void Forget(IPEndPoint source, IPEndPoint local, byte identifier) =>
        _entries.TryRemove(new Key(source, local, identifier), out _);

    /// <summary>Removes replied entries older than the cleanup delay; called periodically.</summary>
    public void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var (key, entry) in _entries)
        {
            if (IsExpired(entry, now))
            {
                _entries.TryRemove(new KeyValuePair<Key, Entry>(key, entry));
            }
        }
    }

    // A request still "in progress" after a minute lost its handler; let a retransmit start it again.
    private bool IsExpired(Entry entry, long now) =>
        entry.Reply is null
            ? _time.GetElapsedTime(entry.Created, now) > s_abandonedAfter
            : _time.GetElapsedTime(entry.RepliedAt, now) > _lifetime;

    private readonly record struct Key(IPEndPoint Source, IPEndPoint Local, byte Identifier);

    private sealed class Entry(byte[] authenticator, long created)
    {
        public byte[] Authenticator { get; } = authenticator;

        public long Created { get; } = created;

        public byte[]? Reply { get; set; }

        public long RepliedAt { get; set; }
    }
}
