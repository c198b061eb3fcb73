using System.Net;
using RadiusEmailOtp.Otp.Engine;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>One RADIUS client (NAS): its network, shared secret and per-client policies.</summary>
public sealed record ClientSettings(
    string Name,
    IPNetwork Network,
    byte[] Secret,
    BlastRadiusPolicy RequireMessageAuthenticator,
    BlastRadiusPolicy LimitProxyState,
    ChallengeMode ChallengeMode,
    string Source)
{
    /// <summary>This client's own <c>send_wait</c>; <see langword="null"/> = the <c>[email_token]</c> one.</summary>
    public TimeSpan? SendWait { get; init; }

    /// <summary>This client's <c>reply_attributes</c> as configured (checked against the dictionary); added to its Access-Accepts.</summary>
    public IReadOnlyList<string> ReplyAttributes { get; init; } = [];

    /// <summary>Never print the secret, not even by accident through a record's generated ToString.</summary>
    public override string ToString() => $"client {Name} {Network} ({Source})";
}
