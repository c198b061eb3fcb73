using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Logging;

/// <summary>Lines to a TextWriter: stdout, which is journald's stream when systemd runs the service.</summary>
internal sealed class TextWriterLogSink(TextWriter writer) : ILogSink
{
    public void Write(LogLevel level, string line) => writer.WriteLine(line);

    public void Flush() => writer.Flush();

    public void Reopen()
    {
    }

    public void Dispose() => writer.Flush();
}
