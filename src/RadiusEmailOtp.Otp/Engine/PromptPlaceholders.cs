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

    /// <summary>What one Reply-Message attribute holds (RFC 2865 §5: 253 octets of value).</summary>
    public const int ReplyMessageBytes = 253;

    /// <summary>
    /// The bytes assumed for each placeholder when a prompt's rendered length is estimated at config load: a typical long
    /// address (one token), user name and realm, a serial, a validity in seconds. Real values can be longer.
    /// </summary>
    public static IReadOnlyDictionary<string, int> AssumedBytes { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["email_masked"] = 64,
        ["user"] = 64,
        ["realm"] = 64,
        ["serial"] = 20,
        ["validity"] = 6,
    };

    /// <summary>
    /// The UTF-8 length <paramref name="template"/> may reach once rendered: its text plus <see cref="AssumedBytes"/> for
    /// each known placeholder (an unknown one counts as written).
    /// </summary>
    public static int EstimateRenderedBytes(string template)
    {
        var total = System.Text.Encoding.UTF8.GetByteCount(template);
        foreach (Match match in Placeholder().Matches(template))
        {
            if (AssumedBytes.TryGetValue(match.Groups["name"].Value, out var assumed))
            {
                total += assumed - match.Length;
            }
        }

        return total;
    }

    /// <summary>
    /// A warning text when <paramref name="template"/> may not fit one Reply-Message (pam_radius shows only the first one),
    /// otherwise <see langword="null"/>.
    /// </summary>
    public static string? LengthWarning(string template)
    {
        var estimate = EstimateRenderedBytes(template);
        return estimate <= ReplyMessageBytes
            ? null
            : $"rendered, this prompt may reach {estimate} bytes (placeholders counted as "
              + string.Join(", ", AssumedBytes.Select(a => "${" + a.Key + "} " + a.Value))
              + $"), more than one Reply-Message holds ({ReplyMessageBytes}); it is then split, and NAS such as pam_radius show only the first part";
    }

    /// <summary>The known placeholders as they are written, for error messages.</summary>
    public static string Describe() => string.Join(" ", Known.Select(k => "${" + k + "}"));

    [GeneratedRegex(@"\$\{(?<name>[^}\r\n]{0,64})\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
