namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>Where a placeholder value lands, which decides how it is escaped.</summary>
internal enum PlaceholderContext
{
    Text,
    Html,
    Header,
}
