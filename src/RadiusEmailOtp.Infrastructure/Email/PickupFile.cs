using Microsoft.Win32.SafeHandles;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>One mail of a pickup batch: its hidden temp file, the final name, and the sender waiting for the outcome.</summary>
internal sealed class PickupFile(string directory, string fileName, long started)
{
    public string FileName { get; } = fileName;

    public string Temp { get; } = Path.Combine(directory, "." + fileName + ".tmp");

    public string Final { get; } = Path.Combine(directory, fileName);

    /// <summary>When the send started (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long Started { get; } = started;

    /// <summary>The temp file, still open, when the durability strategy flushes file by file.</summary>
    public SafeFileHandle? Handle { get; set; }

    /// <summary>The mail has its .eml name, so a reader may already have taken it: it must never be reported failed.</summary>
    public bool Visible { get; set; }

    /// <summary>Why this mail failed, once it has.</summary>
    public string? Error { get; set; }

    /// <summary>Continuations run on the thread pool: the flusher must never run a sender's reply path inline.</summary>
    public TaskCompletionSource<ProviderSendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
