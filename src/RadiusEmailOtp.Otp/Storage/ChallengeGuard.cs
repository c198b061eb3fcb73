namespace RadiusEmailOtp.Otp.Storage;

/// <summary>
/// The conditions under which <see cref="IOtpStore.TryCreateChallengeAsync"/> may start a challenge, checked by the store
/// in the same atomic step as the counter advance, so two requests (or two nodes) that both saw no open challenge cannot
/// both mail: the token must have no open, unexpired challenge created after <paramref name="BlockedSince"/> whose delivery
/// is pending, accepted or unknown (from <paramref name="BlockedClient"/> only, when set: bind_state_to_client), and fewer
/// than <paramref name="MaxMails"/> challenges created after <paramref name="MailWindowSince"/> whose delivery did not fail.
/// </summary>
/// <param name="BlockedSince">Now minus blocking_timeout; now itself when blocking_timeout is 0 (nothing blocks).</param>
/// <param name="BlockedClient">The NAS whose challenges block, or null when any NAS's do.</param>
/// <param name="MailWindowSince">Now minus mail_window.</param>
/// <param name="MaxMails">max_mails_per_window.</param>
public sealed record ChallengeGuard(DateTimeOffset BlockedSince, string? BlockedClient, DateTimeOffset MailWindowSince, int MaxMails)
{
    /// <summary>A guard that never holds a challenge back (imports, tests).</summary>
    public static ChallengeGuard None { get; } = new(DateTimeOffset.MaxValue, null, DateTimeOffset.MaxValue, int.MaxValue);
}
