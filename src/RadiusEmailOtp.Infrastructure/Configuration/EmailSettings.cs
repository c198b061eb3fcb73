namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>The <c>[email]</c> table: where <c>file://</c> templates live.</summary>
public sealed record EmailSettings(string TemplateRoot)
{
    public const string DefaultTemplateRoot = "config/mailtemplates";
}
