using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Handlers;

/// <summary>The reply attributes of one accepted login, or why they cannot be sent (<see cref="Problem"/> not null).</summary>
internal sealed record ReplyAttributeResult(IReadOnlyList<RadiusAttribute> Attributes, string? Policy, string? Problem)
{
    public static ReplyAttributeResult None { get; } = new([], null, null);
}
