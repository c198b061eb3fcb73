namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>The outcome of one provider attempt: classification, the server's reply text, an error reason, and the time taken.</summary>
public sealed record ProviderSendResult(ProviderSendOutcome Outcome, string? Reply, string? Error, TimeSpan Duration)
{
    public bool Accepted => Outcome == ProviderSendOutcome.Accepted;
}
