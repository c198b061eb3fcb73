namespace RadiusEmailOtp.Infrastructure.Ldap;

/// <summary>
/// A resolver's URIs in their configured order, each marked dead for <see cref="LdapResolverSettings.DeadTime"/> after a
/// failure. Live ones are tried in order; when all are dead, one request at a time probes the one that died first, so a
/// directory that is down costs the others a fast reject, not a timeout each.
/// </summary>
internal sealed class LdapEndpoints
{
    private readonly State[] _states;
    private readonly TimeProvider _time;

    public LdapEndpoints(IReadOnlyList<LdapUri> uris, TimeProvider time)
    {
        _states = uris.Select(u => new State(u)).ToArray();
        _time = time;
    }

    /// <summary>The URIs to try for one operation; a probe slot taken here is released by <see cref="MarkAlive"/> or <see cref="MarkDead"/>.</summary>
    public IReadOnlyList<LdapUri> Order()
    {
        var now = _time.GetUtcNow().UtcTicks;
        var alive = _states.Where(s => Interlocked.Read(ref s.DeadUntil) <= now).Select(s => s.Uri).ToList();
        if (alive.Count > 0)
        {
            return alive;
        }

        var first = _states.MinBy(s => Interlocked.Read(ref s.DeadUntil))!;
        return Interlocked.CompareExchange(ref first.Probing, 1, 0) == 0 ? [first.Uri] : [];
    }

    public void MarkAlive(LdapUri uri)
    {
        var state = Find(uri);
        Interlocked.Exchange(ref state.DeadUntil, 0);
        Volatile.Write(ref state.Probing, 0);
    }

    public void MarkDead(LdapUri uri)
    {
        var state = Find(uri);
        Interlocked.Exchange(ref state.DeadUntil, (_time.GetUtcNow() + LdapResolverSettings.DeadTime).UtcTicks);
        Volatile.Write(ref state.Probing, 0);
    }

    /// <summary>Gives back a probe slot without judging the URI (the operation was cancelled).</summary>
    public void ReleaseProbe(LdapUri uri) => Volatile.Write(ref Find(uri).Probing, 0);

    private State Find(LdapUri uri) => Array.Find(_states, s => s.Uri == uri)!;

    private sealed class State(LdapUri uri)
    {
        // UTC ticks; 0 = alive. Fields, so that Interlocked can read and write them whole.
        public long DeadUntil;
        public int Probing;

        public LdapUri Uri { get; } = uri;
    }
}
