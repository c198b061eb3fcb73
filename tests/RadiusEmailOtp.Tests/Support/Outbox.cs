using System.Text.RegularExpressions;
using MimeKit;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>
/// Reads the .eml files the pickup provider writes. Files appear atomically (temp file + rename) and their names sort
/// by time, so the n-th file in name order is the n-th mail.
/// </summary>
internal sealed partial class Outbox(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>The mails written so far, oldest first (hidden .tmp files are not mails).</summary>
    public IReadOnlyList<string> Files() =>
        System.IO.Directory.Exists(Directory)
            ? [.. System.IO.Directory.GetFiles(Directory, "*.eml").Where(f => !System.IO.Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)]
            : [];

    public int Count => Files().Count;

    /// <summary>Waits (bounded) until at least <paramref name="n"/> mails exist and returns the path of the n-th (1-based).</summary>
    public async Task<string> WaitForMailAsync(int n, double timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var files = Files();
            if (files.Count >= n)
            {
                return files[n - 1];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"mail #{n} did not appear in {Directory} within {timeoutSeconds} s ({files.Count} there)");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The OTP of the n-th mail, waiting for it (bounded).</summary>
    public async Task<string> WaitForOtpAsync(int n, double timeoutSeconds = 10) => ReadOtp(await WaitForMailAsync(n, timeoutSeconds));

    /// <summary>Every mail so far as (recipient, OTP), oldest first.</summary>
    public IReadOnlyList<(string To, string Otp)> ReadAll() =>
        [.. Files().Select(f => (MimeMessage.Load(f).To.Mailboxes.Single().Address, ReadOtp(f)))];

    /// <summary>Parses one .eml with MimeKit and takes the 6- or 8-digit code from its text body.</summary>
    public static string ReadOtp(string path)
    {
        var message = MimeMessage.Load(path);
        var body = message.TextBody ?? message.HtmlBody ?? throw new InvalidDataException($"{path} has no text body");
        var match = OtpPattern().Match(body);
        return match.Success ? match.Groups[1].Value : throw new InvalidDataException($"no OTP in {path}:\n{body}");
    }

    [GeneratedRegex(@"(?<!\d)(\d{8}|\d{6})(?!\d)")]
    private static partial Regex OtpPattern();
}
