namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>The provider classes we implement; config <c>class</c> names map onto these.</summary>
public enum EmailProviderKind
{
    Smtp,
    PickupDirectory,
}
