using System.Diagnostics;
using System.Globalization;
using System.Text;
using MimeKit;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// Writes each mail as one RFC 5322 <c>.eml</c> file into a directory. The file appears atomically (written to a hidden
/// temp file in the same directory, then renamed), so a reader never sees half a mail. Names sort by time.
/// </summary>
public sealed class PickupDirectoryEmailProvider : IEmailProvider
{
    private readonly TimeProvider _time;

    public PickupDirectoryEmailProvider(string name, string directory, TimeProvider time)
    {
        Name = name;
        Directory = directory;
        _time = time;
    }

    public string Name { get; }

    public string Directory { get; }

    public async Task<ProviderSendResult> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string? temp = null;
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var fileName = FileNameFor(message);
            var final = Path.Combine(Directory, fileName);
            temp = Path.Combine(Directory, "." + fileName + ".tmp");
            var options = FormatOptions.Default.Clone();
            options.NewLineFormat = NewLineFormat.Dos;
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await message.WriteToAsync(options, stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, final, overwrite: false);
            temp = null;
            return new ProviderSendResult(ProviderSendOutcome.Accepted, $"written {fileName}", null, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ProviderSendResult(ProviderSendOutcome.Transient, null, $"cannot write to {Directory}: {ex.Message}", Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            if (temp is not null)
            {
                TryDelete(temp);
            }
        }
    }

    private string FileNameFor(MimeMessage message)
    {
        var stamp = _time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss.fffffff'Z'", CultureInfo.InvariantCulture);
        var id = new StringBuilder();
        foreach (var c in message.MessageId ?? Guid.NewGuid().ToString("N"))
        {
            // Keep the name portable: the Message-ID's local part may hold characters some file systems refuse.
            id.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_');
            if (id.Length >= 80)
            {
                break;
            }
        }

        return $"{stamp}-{id}.eml";
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover hidden .tmp file is harmless to readers of *.eml.
        }
    }
}
