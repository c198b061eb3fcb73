namespace RadiusEmailOtp.Otp.Policies;

/// <summary>
/// One <c>[[policy]]</c> of scope authentication, already parsed. An empty list (or one holding only negations)
/// means "everyone", like <c>*</c>. Action values are null when the policy does not set them.
/// </summary>
public sealed record EmailPolicy(
    string Name,
    IReadOnlyList<PolicyNamePattern> Users,
    IReadOnlyList<PolicyNamePattern> Realms,
    IReadOnlyList<PolicyClientPattern> Clients,
    PolicyActions Actions,
    bool Active = true,
    int Priority = 0,
    string? Source = null);
