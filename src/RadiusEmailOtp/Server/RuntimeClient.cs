using System.Collections.Concurrent;
using System.Net;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Server;

/// <summary>
/// A configured client plus what the server learned about it at run time: the BlastRADIUS <c>auto</c> decisions,
/// which are taken per source address (one address of a network client must not decide for all).
/// </summary>
internal sealed class RuntimeClient
{
    private readonly ConcurrentDictionary<IPAddress, bool> _learnedRequireMa;
    private readonly ConcurrentDictionary<IPAddress, bool> _learnedLimitProxyState;

    public RuntimeClient(ClientSettings settings)
    {
        Settings = settings;
        _learnedRequireMa = new();
        _learnedLimitProxyState = new();
    }

    /// <summary>
    /// The same client after a reload: new settings, and the decisions learned so far, shared with
    /// <paramref name="learnedFrom"/> (requests still in progress on it may add to them).
    /// </summary>
    public RuntimeClient(ClientSettings settings, RuntimeClient learnedFrom)
    {
        Settings = settings;
        _learnedRequireMa = learnedFrom._learnedRequireMa;
        _learnedLimitProxyState = learnedFrom._learnedLimitProxyState;
    }

    public ClientSettings Settings { get; }

    public string Name => Settings.Name;

    /// <summary>
    /// Whether Access-Requests from <paramref name="source"/> must carry Message-Authenticator. With <c>auto</c>, the first
    /// Access-Request without EAP-Message decides; <paramref name="learnedNow"/> tells the caller to log the decision.
    /// An EAP request does not decide (as in FreeRADIUS 3.2.6+): every EAP request carries Message-Authenticator
    /// (RFC 3579 §3.3, enforced by the codec), so it says nothing about whether the NAS signs its PAP requests, and
    /// deciding "required" from it would silently drop the PAP requests of an old NAS.
    /// </summary>
    public bool RequiresMessageAuthenticator(IPAddress source, bool requestHasMa, bool requestHasEap, out bool learnedNow) =>
        Decide(Settings.RequireMessageAuthenticator, source, requestHasMa, requestHasEap, out learnedNow);

    /// <summary>
    /// Whether a request with Proxy-State but without Message-Authenticator is dropped (limit_proxy_state). With
    /// <c>auto</c>, as FreeRADIUS 3.2.5 does: a client whose first Access-Request carries no Proxy-State is a NAS, not a
    /// proxy, so a later Proxy-State without Message-Authenticator can only be an injection (BlastRADIUS) and is dropped.
    /// </summary>
    public bool LimitsProxyState(IPAddress source, bool requestHasProxyState) =>
        Settings.LimitProxyState switch
        {
            BlastRadiusPolicy.Yes => true,
            BlastRadiusPolicy.No => false,
            _ => _learnedLimitProxyState.GetOrAdd(source, !requestHasProxyState),
        };

    private bool Decide(BlastRadiusPolicy policy, IPAddress source, bool requestHasMa, bool requestHasEap, out bool learnedNow)
    {
        learnedNow = false;
        switch (policy)
        {
            case BlastRadiusPolicy.Yes:
                return true;
            case BlastRadiusPolicy.No:
                return false;
            default:
                if (_learnedRequireMa.TryGetValue(source, out var learned))
                {
                    return learned;
                }

                if (requestHasEap)
                {
                    // Undecided, and this request does not decide. It carries Message-Authenticator (the codec drops
                    // EAP without it), so whether it is required does not matter for this request.
                    return requestHasMa;
                }

                learnedNow = _learnedRequireMa.TryAdd(source, requestHasMa);
                return _learnedRequireMa[source];
        }
    }
}
