using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Logging;

/// <summary>Where formatted log lines end up. Called from one pump task only, so implementations need no locking of their own for writes.</summary>
internal interface ILogSink : IDisposable
{
    void Write(LogLevel level, string line);

    /// <summary>Called when the queue runs empty: push buffered lines out.</summary>
    void Flush();

    /// <summary>Closes and reopens the output (a log file after logrotate moved it); a no-op where nothing is opened by name.</summary>
    void Reopen();
}
