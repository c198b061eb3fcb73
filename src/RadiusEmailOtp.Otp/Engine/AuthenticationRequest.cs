using System.Net;

namespace RadiusEmailOtp.Otp.Engine;

/// <summary>One login attempt in engine words: the raw user name, the cleartext password and the State (empty = none).</summary>
public sealed record AuthenticationRequest(
    string UserName,
    string Password,
    ReadOnlyMemory<byte> State,
    string ClientName,
    IPAddress ClientAddress,
    ChallengeMode ChallengeMode);
