namespace RadiusEmailOtp.Otp.Policies;

/// <summary>The e-mail actions a policy may set; null = not set by this policy.</summary>
public sealed record PolicyActions(
    IReadOnlyList<string>? EmailProviders = null,
    string? EmailSubject = null,
    string? EmailText = null,
    string? ChallengePrompt = null);
