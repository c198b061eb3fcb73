using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;

namespace RadiusEmailOtp.Server;

/// <summary>
/// RFC 5080 §2.2.2 duplicate detection. Key: source address and port, local address and port, Identifier.
/// Same key and same Request Authenticator: ignored while processing, answered with the cached reply afterwards
/// (for <c>cleanup_delay</c>). Same key with another authenticator is a new request.
/// Callers only check packets that passed the authenticator checks, so a forged packet cannot evict an entry;
/// <see cref="Complete"/> and <see cref="Forget"/> act on the claimed entry only, never on a newer request that
/// reused the Identifier.
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

    /// <summary>
    /// Claims the request as new (<paramref name="claim"/> is the ticket to complete or forget it), or says it is a
    /// duplicate (and hands out the cached reply when there is one).
    /// </summary>
    public Verdict Check(IPEndPoint source, IPEndPoint local, byte identifier, ReadOnlySpan<byte> authenticator, out Claim claim, out byte[]? cachedReply)
    {
        var key = new Key(source, local, identifier);
        var now = _time.GetTimestamp();
        cachedReply = null;
        while (true)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                var sameRequest = CryptographicOperations.FixedTimeEquals(existing.Authenticator, authenticator);
                if (sameRequest && !IsExpired(existing, now))
                {
                    claim = default;
                    cachedReply = existing.Completed?.Reply;
                    return cachedReply is null ? Verdict.InProgress : Verdict.Replied;
                }

                var replacement = new Entry(authenticator.ToArray(), now);
                if (_entries.TryUpdate(key, replacement, existing))
                {
                    claim = new Claim(key, replacement);
                    return Verdict.New;
                }
            }
            else
            {
                var fresh = new Entry(authenticator.ToArray(), now);
                if (_entries.TryAdd(key, fresh))
                {
                    claim = new Claim(key, fresh);
                    return Verdict.New;
                }
            }
        }
    }

    /// <summary>Stores the reply that was sent, so a retransmit gets the identical bytes.</summary>
    public void Complete(Claim claim, byte[] reply) =>
        claim.Entry.Completed = new CompletedReply(reply, _time.GetTimestamp());

    /// <summary>Forgets a request that got no reply, so a retransmit is processed again.</summary>
    public void Forget(Claim claim) =>
        _entries.TryRemove(new KeyValuePair<Key, Entry>(claim.Key, claim.Entry));

    /// <summary>Removes expired entries; called periodically.</summary>
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
        entry.Completed is { } completed
            ? _time.GetElapsedTime(completed.At, now) > _lifetime
            : _time.GetElapsedTime(entry.Created, now) > s_abandonedAfter;

    /// <summary>The ticket of a request that was claimed as new.</summary>
    public readonly record struct Claim(Key Key, Entry Entry);

    public readonly record struct Key(IPEndPoint Source, IPEndPoint Local, byte Identifier);

    // Reply and time travel together in one reference, so no reader sees one without the other.
    internal sealed record CompletedReply(byte[] Reply, long At);

    public sealed class Entry(byte[] authenticator, long created)
    {
        public byte[] Authenticator { get; } = authenticator;

        public long Created { get; } = created;

        internal CompletedReply? Completed
        {
            get => Volatile.Read(ref field);
            set => Volatile.Write(ref field, value);
        }
    }
}
