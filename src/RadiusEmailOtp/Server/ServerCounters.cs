using System.Collections.Concurrent;
using RadiusEmailOtp.Metrics;
using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Server;

/// <summary>
/// What the server has seen since start: read by tests, the shutdown summary and Status-Server statistics; every count
/// is also recorded on the <see cref="ServerMetrics"/> instruments when the server has them (the Prometheus endpoint).
/// </summary>
internal sealed class ServerCounters
{
    /// <summary>The drop reason of requests that ran out of max_request_time and were dropped unanswered under load.</summary>
    public const string ShedReason = "shed";

    public const string MalformedKind = "malformed";
    public const string UnknownClientKind = "unknown_client";
    public const string UnknownTypeKind = "unknown_type";

    private readonly ConcurrentDictionary<string, long> _drops = new(StringComparer.Ordinal);
    private readonly ServerMetrics? _metrics;
    private long _received;
    private long _duplicates;
    private long _accepts;
    private long _rejects;
    private long _challenges;
    private long _statusServer;

    public ServerCounters(ServerMetrics? metrics = null)
    {
        _metrics = metrics;
    }

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

    /// <summary>The auth ports' totals for Status-Server statistics.</summary>
    public PortStatistics Auth { get; } = new();

    /// <summary>The accounting ports' totals for Status-Server statistics.</summary>
    public PortStatistics Acct { get; } = new();

    public long DroppedFor(string reason) => _drops.GetValueOrDefault(reason);

    public void CountReceived() => Interlocked.Increment(ref _received);

    /// <summary>A packet from a known client that parsed and whose code the port takes.</summary>
    public void CountRequest(RadiusCode code, string client, bool accounting)
    {
        if (code != RadiusCode.StatusServer)
        {
            (accounting ? Acct : Auth).CountRequest();
        }

        _metrics?.Request(code, client);
    }

    public void CountDuplicate(bool accounting = false)
    {
        Interlocked.Increment(ref _duplicates);
        (accounting ? Acct : Auth).CountDuplicate();
        _metrics?.Duplicate();
    }

    public void CountStatusServer() => Interlocked.Increment(ref _statusServer);

    public void CountDrop(string reason, bool accounting = false)
    {
        _drops.AddOrUpdate(reason, 1, static (_, n) => n + 1);
        var kind = Kind(reason);
        (accounting ? Acct : Auth).CountDrop(kind);
        _metrics?.Drop(kind);
    }

    public void CountShed() => CountDrop(ShedReason);

    /// <summary>A reply to an Access-Request or an Accounting-Request (Status-Server answers are not counted here).</summary>
    public void CountReply(RadiusCode code)
    {
        switch (code)
        {
            case RadiusCode.AccessAccept:
                Interlocked.Increment(ref _accepts);
                break;
            case RadiusCode.AccessReject:
                Interlocked.Increment(ref _rejects);
                break;
            case RadiusCode.AccessChallenge:
                Interlocked.Increment(ref _challenges);
                break;
        }

        (code == RadiusCode.AccountingResponse ? Acct : Auth).CountResponse();
        _metrics?.Reply(code);
    }

    public void RecordReplyDuration(TimeSpan elapsed) => _metrics?.ReplyDuration(elapsed);

    /// <summary>
    /// A short, fixed label for a drop reason (the reasons themselves are sentences for the log): what
    /// <c>radius_dropped_total{reason}</c> shows and how Status-Server statistics file it.
    /// </summary>
    internal static string Kind(string reason)
    {
        if (Enum.TryParse<RadiusDropReason>(reason, out var codec) && !int.TryParse(reason, out _))
        {
            return codec == RadiusDropReason.UnknownCode ? UnknownTypeKind : MalformedKind;
        }

        return reason switch
        {
            "unknown client" => UnknownClientKind,
            ShedReason => ShedReason,
            "server busy" => "busy",
            _ when reason.Contains(" is not valid on the ", StringComparison.Ordinal) => UnknownTypeKind,
            _ when reason.StartsWith("invalid ", StringComparison.Ordinal) && reason.Contains("Authenticator", StringComparison.Ordinal) => "bad_authenticator",
            _ when reason.Contains("without Message-Authenticator", StringComparison.Ordinal) => "missing_message_authenticator",
            _ when reason.Contains("detail file", StringComparison.Ordinal) => "detail_file",
            _ when reason.Contains("would not fit", StringComparison.Ordinal) => "reply_too_large",
            _ => "other",
        };
    }
}
