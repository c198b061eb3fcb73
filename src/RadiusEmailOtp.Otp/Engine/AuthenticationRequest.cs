using System.Net;

namespace RadiusEmailOtp.Otp.Engine;

/// <summary>One login attempt in engine words: the raw user name, the cleartext password and the State (empty = none).</summary>
public sealed record AuthenticationRequest(
    string UserName,
    string Password,
    ReadOnlyMemory<byte> State,
    string ClientName,
    IPAddress ClientAddress,
    ChallengeMode ChallengeMode)
{
    /// <summary>
    /// When an answer stops being of use (the server's max_request_time): past it no mail is started and the result is
    /// <see cref="AuthenticationOutcome.Drop"/>; the wait for a provider ends by then. Callers without a deadline keep the default.
    /// </summary>
    public DateTimeOffset AnswerBy { get; init; } = DateTimeOffset.MaxValue;

    /// <summary>The client's own <c>send_wait</c>; <see langword="null"/> = the <c>[email_token]</c> one.</summary>
    public TimeSpan? SendWait { get; init; }

    /// <summary>
    /// Whether a reply carrying this prompt (or reject-mode message) still fits in one packet; asked before any mail
    /// goes, so a reply that could not be sent never leaves a mail behind. <see langword="null"/> = no limit.
    /// </summary>
    public Func<string, bool>? ReplyFits { get; init; }
}
