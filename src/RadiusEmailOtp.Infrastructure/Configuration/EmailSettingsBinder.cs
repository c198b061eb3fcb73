namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Binds the optional <c>[email]</c> table.</summary>
public static class EmailSettingsBinder
{
    public static EmailSettings Bind(ConfigSection? section)
    {
        if (section is null)
        {
            return new EmailSettings(EmailSettings.DefaultTemplateRoot);
        }

        var root = section.String("template_root", EmailSettings.DefaultTemplateRoot)!;
        section.ReportUnknownKeys();
        return new EmailSettings(root);
    }
}
