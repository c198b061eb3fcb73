using System.Globalization;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Otp.Engine;

/// <summary>Fills the challenge prompt's placeholders; several tokens are listed comma-separated.</summary>
internal static class PromptRenderer
{
    public static string Render(string template, UserIdentity identity, IReadOnlyList<EmailToken> tokens, TimeSpan validity) =>
        template
            .Replace("${email_masked}", string.Join(", ", tokens.Select(t => MaskEmail(t.Email))), StringComparison.Ordinal)
            .Replace("${user}", identity.User, StringComparison.Ordinal)
            .Replace("${realm}", identity.Realm, StringComparison.Ordinal)
            .Replace("${serial}", string.Join(", ", tokens.Select(t => t.Serial)), StringComparison.Ordinal)
            .Replace("${validity}", ((long)validity.TotalSeconds).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>"alice@example.com" → "a***e@example.com": enough for the user to recognise, little for a bystander.</summary>
    public static string MaskEmail(string email)
    {
        var at = email.LastIndexOf('@');
        if (at <= 0)
        {
            return "***";
        }

        var local = email[..at];
        var masked = local.Length <= 2 ? $"{local[0]}***" : $"{local[0]}***{local[^1]}";
        return masked + email[at..];
    }
}
