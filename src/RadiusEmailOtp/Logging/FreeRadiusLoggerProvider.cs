using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Logging;

/// <summary>
/// Writes FreeRADIUS-style lines to a TextWriter through a bounded queue drained by one task, so a slow console
/// never slows the UDP loop. When the queue is full, lines are dropped and counted rather than blocking.
/// </summary>
internal sealed class FreeRadiusLoggerProvider : ILoggerProvider
{
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly TextWriter _writer;
    private readonly LogLevel _minimum;
    private readonly TimeProvider _time;
    private readonly Task _pump;

    public FreeRadiusLoggerProvider(TextWriter writer, LogLevel minimum, TimeProvider time)
    {
        _writer = writer;
        _minimum = minimum;
        _time = time;
        _pump = Task.Run(PumpAsync);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
        _lines.Writer.TryComplete();
        _pump.Wait(TimeSpan.FromSeconds(2));
    }

    private async Task PumpAsync()
    {
        await foreach (var line in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            _writer.WriteLine(line);
            if (_lines.Reader.Count == 0)
            {
                await _writer.FlushAsync().ConfigureAwait(false);
            }
        }

        await _writer.FlushAsync().ConfigureAwait(false);
    }

    private sealed class Logger(FreeRadiusLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (exception is not null)
            {
                // Type and message only: stack traces are for debug builds, and exception text never carries secrets here.
                message = $"{message}: {exception.GetType().Name}: {exception.Message}";
            }

            provider._lines.Writer.TryWrite(FreeRadiusLogFormat.Format(provider._time.GetLocalNow(), logLevel, eventId, message));
        }
    }
}
