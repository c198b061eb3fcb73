namespace RadiusEmailOtp.Otp.Policies;

/// <summary>
/// The actions a policy may set; null = not set by this policy. <see cref="ReplyAttributes"/> holds the policy's
/// <c>reply_attributes</c> items as configured (<c>Name = value</c>); the engine never reads them, the host encodes them.
/// </summary>
public sealed record PolicyActions(
    IReadOnlyList<string>? EmailProviders = null,
    string? EmailSubject = null,
    string? EmailText = null,
    string? ChallengePrompt = null)
{
    /// <summary>The policy's reply attributes for Access-Accept, already checked against the dictionary; null = not set.</summary>
    public IReadOnlyList<string>? ReplyAttributes { get; init; }
}
