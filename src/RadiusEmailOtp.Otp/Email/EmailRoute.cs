namespace RadiusEmailOtp.Otp.Email;

/// <summary>
/// How a user's OTP mail travels, as chosen by the policies: the providers in failover order and the texts that
/// policies may override (null = the provider's or the token settings' own).
/// </summary>
public sealed record EmailRoute(
    IReadOnlyList<string> Providers,
    string? Subject = null,
    string? Text = null,
    string? ChallengePrompt = null,
    string? PolicyName = null);
