namespace RadiusEmailOtp.Server;

/// <summary>
/// One port kind's totals as FreeRADIUS's status server reports them (FreeRADIUS-Total-Auth-* / -Acct-*): requests,
/// responses, duplicates, malformed, invalid (unknown client), dropped, unknown types.
/// </summary>
internal sealed class PortStatistics
{
    private long _requests;
    private long _responses;
    private long _duplicates;
    private long _malformed;
    private long _invalid;
    private long _dropped;
    private long _unknownTypes;

    public long Requests => Interlocked.Read(ref _requests);

    public long Responses => Interlocked.Read(ref _responses);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Packets from addresses that are no client (FreeRADIUS counts them as "invalid").</summary>
    public long Invalid => Interlocked.Read(ref _invalid);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long UnknownTypes => Interlocked.Read(ref _unknownTypes);

    public void CountRequest() => Interlocked.Increment(ref _requests);

    public void CountResponse() => Interlocked.Increment(ref _responses);

    public void CountDuplicate() => Interlocked.Increment(ref _duplicates);

    public void CountDrop(string kind)
    {
        switch (kind)
        {
            case ServerCounters.MalformedKind:
                Interlocked.Increment(ref _malformed);
                break;
            case ServerCounters.UnknownClientKind:
                Interlocked.Increment(ref _invalid);
                break;
            case ServerCounters.UnknownTypeKind:
                Interlocked.Increment(ref _unknownTypes);
                break;
            default:
                Interlocked.Increment(ref _dropped);
                break;
        }
    }
}
