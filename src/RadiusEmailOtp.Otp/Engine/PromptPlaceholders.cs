using System.Text.RegularExpressions;

namespace RadiusEmailOtp.Otp.Engine;

/// <summary>The placeholders a challenge prompt may use (behaviour.md §2 "Reply-Message"); config load rejects any other.</summary>
public static partial class PromptPlaceholders
{
    /// <summary>The names <see cref="PromptRenderer"/> fills, exactly as written (it matches them case-sensitively).</summary>
    public static IReadOnlyList<string> Known { get; } = ["email_masked", "user", "realm", "serial", "validity"];

    /// <summary>The names of <c>${…}</c> placeholders in <paramref name="text"/> that the renderer would leave literally.</summary>
    public static IReadOnlyList<string> FindUnknown(string text) =>
        Placeholder().Matches(text).Select(m => m.Groups["name"].Value).Where(n => !Known.Contains(n, StringComparer.Ordinal)).Distinct().ToList();

    /// <summary>The known placeholders as they are written, for error messages.</summary>
    public static string Describe() => string.Join(" ", Known.Select(k => "${" + k + "}"));

    [GeneratedRegex(@"\$\{(?<name>[^}\r\n]{0,64})\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
