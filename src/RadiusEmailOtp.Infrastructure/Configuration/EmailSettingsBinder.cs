namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Binds the optional <c>[email]</c> table.</summary>
public static class EmailSettingsBinder
{
    public static EmailSettings Bind(ConfigSection? section, ConfigDiagnostics diagnostics)
    {
        if (section is null)
        {
            return new EmailSettings(diagnostics.ResolvePath(EmailSettings.DefaultTemplateRoot));
        }

        var root = section.PathValue("template_root", EmailSettings.DefaultTemplateRoot) ?? diagnostics.ResolvePath(EmailSettings.DefaultTemplateRoot);
        section.ReportUnknownKeys();
        return new EmailSettings(root);
    }
}
