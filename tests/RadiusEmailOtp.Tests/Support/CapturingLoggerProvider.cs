using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Logging;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>Keeps every log line in memory, formatted as the server prints them, so tests can read the log.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue(FreeRadiusLogFormat.Format(DateTimeOffset.Now, logLevel, eventId, formatter(state, exception)));
    }
}
