namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>The <c>[email]</c> table: where <c>file://</c> templates live (an absolute path).</summary>
public sealed record EmailSettings(string TemplateRoot)
{
    /// <summary>Beside the config file, as the shipped layouts have it (config/mailtemplates, /etc/radius-email-otp/mailtemplates).</summary>
    public const string DefaultTemplateRoot = "mailtemplates";
}
