namespace RadiusEmailOtp.Otp.Engine;

/// <summary>
/// The engine's decision. <see cref="Reason"/> is a short phrase for the log line and never holds a secret;
/// <see cref="ReplyMessages"/> is what the user sees and is identical for every case that must not be told apart.
/// </summary>
public sealed record AuthenticationResult(
    AuthenticationOutcome Outcome,
    string User,
    string Realm,
    string Reason,
    IReadOnlyList<string> ReplyMessages,
    byte[]? State,
    IReadOnlyList<string> Serials,
    string? Provider,
    TimeSpan? SessionTimeout,
    MailStep MailStep = MailStep.None)
{
    /// <summary>The resolver the user was found in (policies of the form <c>corp:</c> match on it); local for the token table.</summary>
    public string Resolver { get; init; } = Tokens.EmailToken.LocalResolver;
}
