using System.Text;

namespace RadiusEmailOtp.Otp.Policies;

/// <summary>
/// Parses LinOTP's action syntax: <c>key=value</c> pairs separated by commas; a value may be quoted with ' or "
/// so it can hold commas. <c>email_provider</c> takes a space-separated list (failover order).
/// </summary>
public static class PolicyActionParser
{
    public const string EmailProvider = "email_provider";
    public const string EmailSubject = "emailsubject";
    public const string EmailText = "emailtext";
    public const string ChallengePrompt = "email_challenge_prompt";

    /// <summary>Parses <paramref name="text"/>; syntax problems go to <paramref name="errors"/>, ignored keys to <paramref name="warnings"/>.</summary>
    public static PolicyActions Parse(string text, List<string> errors, List<string> warnings)
    {
        IReadOnlyList<string>? providers = null;
        string? subject = null, body = null, prompt = null;
        foreach (var item in SplitOutsideQuotes(text, errors))
        {
            if (item.Length == 0)
            {
                continue;
            }

            var eq = item.IndexOf('=');
            if (eq <= 0)
            {
                errors.Add($"action \"{item}\" is not key=value");
                continue;
            }

            var key = item[..eq].Trim().ToLowerInvariant();
            var value = Unquote(item[(eq + 1)..].Trim());
            switch (key)
            {
                case EmailProvider:
                    var names = value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (names.Length == 0)
                    {
                        errors.Add("email_provider needs at least one provider name");
                    }

                    providers = names;
                    break;
                case EmailSubject:
                    subject = value;
                    break;
                case EmailText:
                    body = value;
                    break;
                case ChallengePrompt:
                    prompt = value;
                    break;
                default:
                    warnings.Add($"action \"{key}\" is not an e-mail action and is ignored");
                    break;
            }
        }

        return new PolicyActions(providers, subject, body, prompt);
    }

    private static List<string> SplitOutsideQuotes(string text, List<string> errors)
    {
        var items = new List<string>();
        var current = new StringBuilder();
        char quote = '\0';
        foreach (var c in text)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }

                current.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                current.Append(c);
            }
            else if (c == ',')
            {
                items.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (quote != '\0')
        {
            errors.Add($"unterminated {quote} quote in the action");
        }

        items.Add(current.ToString().Trim());
        return items;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] is '\'' or '"' && value[^1] == value[0] ? value[1..^1] : value;
}
