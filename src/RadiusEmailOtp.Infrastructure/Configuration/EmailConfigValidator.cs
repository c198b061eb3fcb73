using MimeKit;
using RadiusEmailOtp.Infrastructure.Email;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// The checks that need the file system or MIME parsing: every provider TEMPLATE exists inside the template root,
/// parses as MIME, and uses only known placeholders; EMAIL_SUBJECT uses only known placeholders. Called by the loader,
/// so <c>check-config</c> and <c>serve</c> report the same problems.
/// </summary>
public static class EmailConfigValidator
{
    public static void Validate(IReadOnlyList<EmailProviderSettings> providers, EmailSettings email, ConfigDiagnostics diagnostics)
    {
        foreach (var provider in providers)
        {
            var where = $"[[email_provider]] \"{provider.Name}\"";
            foreach (var unknown in MailPlaceholders.FindUnknown(provider.Subject))
            {
                diagnostics.Error(provider.Line, $"{where} EMAIL_SUBJECT: unknown placeholder ${{{unknown}}}");
            }

            if (provider.Template is null)
            {
                continue;
            }

            if (!MailTemplateLoader.TryLoad(provider.Template, email.TemplateRoot, out var template, out var error))
            {
                diagnostics.Error(provider.Line, $"{where} TEMPLATE: {error}");
                continue;
            }

            foreach (var unknown in MailPlaceholders.FindUnknown(template!.Text))
            {
                diagnostics.Error(provider.Line, $"{where} TEMPLATE {template.Source}: unknown placeholder ${{{unknown}}}; known: {string.Join(", ", MailPlaceholders.Known.Select(k => "${" + k + "}"))}");
            }

            try
            {
                using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(template.Text));
                var parsed = MimeMessage.Load(stream);
                if (parsed.Body is null)
                {
                    diagnostics.Error(provider.Line, $"{where} TEMPLATE {template.Source}: no MIME body (headers, a blank line, then the text)");
                }
            }
            catch (FormatException ex)
            {
                diagnostics.Error(provider.Line, $"{where} TEMPLATE {template.Source}: not a MIME message: {ex.Message}");
            }
        }
    }
}
