using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using MimeKit;
using RadiusEmailOtp.Infrastructure.Storage;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// Writes each mail as one RFC 5322 <c>.eml</c> file into a directory. Names sort by time.
/// <para>
/// The disk work is grouped: each send writes its hidden temp file (<c>.NAME.eml.tmp</c>, no flush) and joins the
/// current batch; one flusher at a time makes the whole batch durable (Linux: one syncfs; elsewhere an fsync per
/// file), then renames every temp file to its <c>.eml</c> name, then fsyncs the directory once, and only then
/// completes the sends of the batch. While it works, the next batch gathers, so under load a batch holds every mail
/// that arrived during one flush and the cost per mail falls to a create, a write and a rename.
/// </para>
/// <para>
/// What that keeps: a reader never sees half a mail, also after a power loss (a name appears only after its content
/// is on disk); <c>Accepted</c> means the file and its name are on disk; a failure of the batch's flush fails every
/// mail of it and leaves none of them visible. What a crash can lose: only mails whose send had not returned. The
/// engine records a delivery, and the user can only receive the code, after <see cref="SendAsync"/> returned, and a
/// user cannot answer a code never received; such a challenge is marked interrupted at the next start.
/// </para>
/// <para>
/// The mails hold OTPs: the directory is created 0700 and every file 0600. <see cref="StartMaintenance"/> (the server
/// calls it) removes a crash's temp files and deletes mails older than <c>RETENTION_DAYS</c>.
/// </para>
/// </summary>
public sealed class PickupDirectoryEmailProvider : IEmailProvider, IDisposable
{
    private static readonly FormatOptions s_format = CreateFormat();

    private readonly TimeProvider _time;
    private readonly IPickupDurability _durability;
    private readonly PickupOutboxMaintenance _maintenance;
    private readonly Lock _lock = new();
    private List<PickupFile> _pending = [];
    private bool _flushing;

    /// <summary>The default of <c>RETENTION_DAYS</c>: a week of mails for an admin to look into, then they go.</summary>
    public const int DefaultRetentionDays = 7;

    public PickupDirectoryEmailProvider(string name, string directory, TimeProvider time, int retentionDays = DefaultRetentionDays)
        : this(name, directory, time, OperatingSystem.IsLinux() ? new SyncfsPickupDurability() : new PerFilePickupDurability(), retentionDays)
    {
    }

    internal PickupDirectoryEmailProvider(string name, string directory, TimeProvider time, IPickupDurability durability, int retentionDays = DefaultRetentionDays)
    {
        Name = name;
        Directory = directory;
        _time = time;
        _durability = durability;
        _maintenance = new PickupOutboxMaintenance(directory, retentionDays, time);
    }

    public string Name { get; }

    public string Directory { get; }

    public Task<ProviderSendResult> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var file = new PickupFile(Directory, FileNameFor(message), Stopwatch.GetTimestamp());
        try
        {
            WriteTemp(message, file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(Failed(file, ex.Message));
        }

        // From here on the send is not cancelled: its file belongs to the batch now, and the flush it waits for is short.
        lock (_lock)
        {
            _pending.Add(file);
            if (_flushing)
            {
                return file.Completion.Task;
            }

            _flushing = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static provider => provider.FlushLoop(), this, preferLocal: false);
        return file.Completion.Task;
    }

    /// <summary>
    /// Removes the temp files a crash left and the mails past the retention, then keeps deleting expired mails every hour.
    /// Only for the process that owns the data directory (serve): another one's batch in progress is not a leftover.
    /// </summary>
    public (int Leftovers, int Expired) StartMaintenance() => _maintenance.Start();

    public void Dispose()
    {
        _maintenance.Dispose();
        _durability.Dispose();
    }

    private void WriteTemp(MimeMessage message, PickupFile file)
    {
        using var content = new MemoryStream(4096);
        message.WriteTo(s_format, content);
        _durability.BeforeWrite(Directory);
        var created = false;
        try
        {
            var handle = CreateTemp(file.Temp);
            created = true;
            file.Handle = handle;
            RandomAccess.Write(handle, content.GetBuffer().AsSpan(0, (int)content.Length), 0);
            if (!_durability.NeedsHandles)
            {
                handle.Dispose();
                file.Handle = null;
            }
        }
        catch
        {
            file.Handle?.Dispose();
            file.Handle = null;
            if (created)
            {
                TryDelete(file.Temp);
            }

            throw;
        }
    }

    private SafeFileHandle CreateTemp(string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (DirectoryNotFoundException)
        {
            OwnerOnlyDirectory.Create(Directory);
            handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }

        if (!OperatingSystem.IsWindows())
        {
            // Owner only before a byte of the OTP is written (File.OpenHandle creates with the umask's mode, often 0644).
            try
            {
                File.SetUnixFileMode(handle, OwnerOnlyDirectory.FileMode);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        return handle;
    }

    // One flusher at a time; it takes whatever gathered while it was busy, until nothing is left.
    private void FlushLoop()
    {
        while (true)
        {
            List<PickupFile> batch;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                batch = _pending;
                _pending = new List<PickupFile>(batch.Count);
            }

            try
            {
                Flush(batch);
            }
            catch (Exception ex)
            {
                // Whatever went wrong, no sender may be left waiting and the flusher must go on with the next batch.
                // A mail that already has its name may have been collected: reporting it failed would send its code
                // again through the next provider, so it stays accepted.
                foreach (var file in batch)
                {
                    file.Completion.TrySetResult(file.Visible && file.Error is null
                        ? Accepted(file)
                        : Failed(file, ex.Message));
                }
            }
        }
    }

    private void Flush(List<PickupFile> batch)
    {
        string? batchError = null;
        try
        {
            _durability.FlushFiles(Directory, batch);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            batchError = ex.Message;
        }
        finally
        {
            foreach (var file in batch)
            {
                file.Handle?.Dispose();
                file.Handle = null;
            }
        }

        // Renamed only now: a name never points at content that is not on disk yet.
        var renamed = new List<PickupFile>(batch.Count);
        foreach (var file in batch)
        {
            file.Error ??= batchError;
            if (file.Error is null)
            {
                try
                {
                    File.Move(file.Temp, file.Final, overwrite: false);
                    file.Visible = true;
                    renamed.Add(file);
                    continue;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    file.Error = ex.Message;
                }
            }

            TryDelete(file.Temp);
        }

        if (renamed.Count > 0)
        {
            try
            {
                _durability.FlushDirectory(Directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Withdraw(renamed, ex.Message);
            }
        }

        foreach (var file in batch)
        {
            file.Completion.TrySetResult(file.Error is null ? Accepted(file) : Failed(file, file.Error));
        }
    }

    // The names may not survive a power loss: take back what a reader has not picked up yet and report it failed, so
    // the next provider sends it. A mail already picked up is on its way and stays accepted (no duplicate).
    private static void Withdraw(List<PickupFile> renamed, string error)
    {
        foreach (var file in renamed)
        {
            if (File.Exists(file.Final) && TryDelete(file.Final))
            {
                file.Error = error;
                file.Visible = false;
            }
        }
    }

    private static ProviderSendResult Accepted(PickupFile file) =>
        new(ProviderSendOutcome.Accepted, $"written {file.FileName}", null, Stopwatch.GetElapsedTime(file.Started));

    private ProviderSendResult Failed(PickupFile file, string error) =>
        new(ProviderSendOutcome.Transient, null, $"cannot write to {Directory}: {error}", Stopwatch.GetElapsedTime(file.Started));

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

    private static FormatOptions CreateFormat()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover hidden .tmp file is harmless to readers of *.eml.
            return false;
        }
    }
}
