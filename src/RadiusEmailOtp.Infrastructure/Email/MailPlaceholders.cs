using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// The placeholders of behaviour.md §3: <c>${name}</c> and the legacy <c>&lt;otp&gt;</c> / <c>&lt;serial&gt;</c>.
/// Substitution is plain text replacement in one pass (a value is never scanned again), so a template cannot run code
/// and a user name cannot smuggle in a placeholder.
/// </summary>
internal static partial class MailPlaceholders
{
    public static readonly IReadOnlyList<string> Known = ["otp", "serial", "user", "realm", "email", "validity", "Subject", "From", "To", "Date"];

    /// <summary>The names of <c>${…}</c> placeholders in <paramref name="text"/> that are not known.</summary>
    public static IReadOnlyList<string> FindUnknown(string text) =>
        Placeholder().Matches(text).Where(m => m.Groups["name"].Success).Select(m => m.Groups["name"].Value)
            .Where(n => n.Length == 0 || !Known.Contains(n, StringComparer.OrdinalIgnoreCase)).Distinct().ToList();

    /// <summary>True when the text names the OTP itself, so the composer must not append it.</summary>
    public static bool MentionsOtp(string text) =>
        text.Contains("<otp>", StringComparison.OrdinalIgnoreCase) || Placeholder().Matches(text).Any(m => string.Equals(m.Groups["name"].Value, "otp", StringComparison.OrdinalIgnoreCase));

    /// <summary>Replaces every placeholder; unknown ones become empty (never mailed literally).</summary>
    public static string Substitute(string text, IReadOnlyDictionary<string, string> values, PlaceholderContext context) =>
        Placeholder().Replace(text, match =>
        {
            var name = match.Groups["name"].Success ? match.Groups["name"].Value : match.Groups["legacy"].Value;
            // The composer's dictionary ignores case already: one lookup, the scan only for other dictionaries.
            var value = values.TryGetValue(name, out var found)
                ? found
                : values.FirstOrDefault(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)).Value ?? string.Empty;
            return context switch
            {
                PlaceholderContext.Html => WebUtility.HtmlEncode(value),
                PlaceholderContext.Header => HeaderSafe(value),
                _ => value,
            };
        });

    // A CR or LF in a value (a hostile user name) would start a new header line: header injection.
    private static string HeaderSafe(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"\$\{(?<name>[^}\r\n]{0,64})\}|<(?<legacy>otp|serial)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
