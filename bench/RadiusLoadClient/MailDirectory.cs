using System.Text.RegularExpressions;
using MimeKit;

namespace RadiusLoadClient;

/// <summary>
/// The mails in a directory of <c>.eml</c> files (the pickup provider's outbox, or what the SMTP sink stored), read
/// incrementally: each file is parsed once, for its first To address and the code in its text. The user is the
/// address's local part (the benchmark mails user N at N@example.com). Files are taken in name order, which is
/// arrival order for both writers.
/// </summary>
internal sealed partial class MailDirectory
{
    private readonly string _path;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _codes = new(StringComparer.Ordinal);

    public MailDirectory(string path)
    {
        _path = path;
    }

    public int Unreadable { get; private set; }

    /// <summary>Codes per user, oldest first.</summary>
    public IReadOnlyDictionary<string, List<string>> Codes => _codes;

    /// <summary>Parses the files not seen before; returns how many were new.</summary>
    public int Scan()
    {
        if (!Directory.Exists(_path))
        {
            return 0;
        }

        var fresh = Directory.EnumerateFiles(_path, "*.eml").Where(f => !_seen.Contains(f)).Order(StringComparer.Ordinal).ToList();
        foreach (var file in fresh)
        {
            _seen.Add(file);
            var (user, code) = Parse(file);
            if (user is null || code is null)
            {
                Unreadable++;
                continue;
            }

            if (!_codes.TryGetValue(user, out var list))
            {
                _codes[user] = list = [];
            }

            list.Add(code);
        }

        return fresh.Count;
    }

    /// <summary>
    /// Waits until every user of <paramref name="users"/> has a mail, or no new mail came for <paramref name="quiet"/>,
    /// or <paramref name="limit"/> passed; returns the seconds waited.
    /// </summary>
    public async Task<double> WaitForAsync(IReadOnlyCollection<string> users, TimeSpan quiet, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var lastNew = started;
        while (true)
        {
            if (Scan() > 0)
            {
                lastNew = DateTime.UtcNow;
            }

            var now = DateTime.UtcNow;
            if (users.All(_codes.ContainsKey) || now - lastNew >= quiet || now - started >= limit)
            {
                return (now - started).TotalSeconds;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Mails for the given users, and the ones beyond the first per user (duplicates within one PIN round).</summary>
    public (int Mails, int Duplicates, int UsersWithout) Count(IReadOnlyCollection<string> users)
    {
        int mails = 0, duplicates = 0, without = 0;
        foreach (var user in users)
        {
            if (_codes.TryGetValue(user, out var list))
            {
                mails += list.Count;
                duplicates += list.Count - 1;
            }
            else
            {
                without++;
            }
        }

        return (mails, duplicates, without);
    }

    private static (string? User, string? Code) Parse(string file)
    {
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(file);
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return (null, null);
        }

        var address = message.To.Mailboxes.FirstOrDefault()?.Address;
        var at = address?.LastIndexOf('@') ?? -1;
        var user = at > 0 ? address![..at].ToLowerInvariant() : null;
        var text = message.TextBody ?? string.Empty;
        var match = CodeAfterWords().Match(text);
        if (!match.Success)
        {
            match = LoneCode().Match(text);
        }

        return (user, match.Success ? match.Groups[1].Value : null);
    }

    // The built-in text ("Your one-time password is 123456") and the shipped otp-plain.eml ("password is: 123456").
    [GeneratedRegex(@"password is:?\s*(\d{6,8})\b", RegexOptions.IgnoreCase)]
    private static partial Regex CodeAfterWords();

    [GeneratedRegex(@"(?<![\w])(\d{6}|\d{8})(?![\w])")]
    private static partial Regex LoneCode();
}
