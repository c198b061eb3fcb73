namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>The provider <c>timeout</c> of the seed, <c>"connect[;read]"</c> in seconds; connect defaults to 120.</summary>
public sealed record ProviderTimeout(TimeSpan Connect, TimeSpan Read)
{
    public static ProviderTimeout Default { get; } = new(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(120));
}
