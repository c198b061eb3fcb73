using System.Globalization;
using System.Text;

namespace RadiusEmailOtp.Radius.Replies;

/// <summary>
/// Splits a FreeRADIUS-style reply item, <c>Name = value</c> or <c>Name:tag = value</c> (RFC 2868 §3.1 tags), into its
/// parts. A value in double or single quotes may hold spaces and the escapes <c>\"</c>, <c>\'</c>, <c>\\</c>, <c>\n</c>, <c>\t</c>.
/// </summary>
internal static class ReplyAttributeSyntax
{
    /// <summary>The parts of one item, or an error text.</summary>
    public static string? TryParse(string text, out string name, out int? tag, out string value, out bool quoted)
    {
        name = string.Empty;
        tag = null;
        value = string.Empty;
        quoted = false;
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0)
        {
            return "expected Name = value";
        }

        var left = text[..eq].Trim();
        var colon = left.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            if (!int.TryParse(left.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var parsedTag) || parsedTag > 31)
            {
                // RFC 2868 §3.1: a tag is 0x00-0x1F.
                return $"\"{left[(colon + 1)..]}\" is not a tag (0-31)";
            }

            tag = parsedTag;
            left = left[..colon];
        }

        if (left.Length == 0 || !left.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
        {
            return left.Length == 0 ? "expected Name = value" : $"\"{left}\" is not an attribute name";
        }

        name = left;
        var right = text[(eq + 1)..].Trim();
        if (right.Length == 0)
        {
            return $"{name} has no value";
        }

        if (right[0] is '"' or '\'')
        {
            quoted = true;
            return Unquote(right, out value);
        }

        value = right;
        return null;
    }

    private static string? Unquote(string text, out string value)
    {
        var quote = text[0];
        var builder = new StringBuilder(text.Length);
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == quote)
            {
                value = builder.ToString();
                return i == text.Length - 1 ? null : $"text after the closing {quote}";
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                i++;
                builder.Append(text[i] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    var other => other,
                });
                continue;
            }

            builder.Append(c);
        }

        value = string.Empty;
        return $"the value has no closing {quote}";
    }
}
