using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Logging;

/// <summary>
/// Formats each event on the caller's thread and hands the line to a bounded queue drained by one task into the
/// <see cref="ILogSink"/>, so a slow console, file or syslog never slows the UDP loop. When the queue is full, lines
/// are dropped rather than blocking.
/// </summary>
internal sealed class FreeRadiusLoggerProvider : ILoggerProvider
{
    private readonly Channel<(LogLevel Level, string Line)> _lines = Channel.CreateBounded<(LogLevel, string)>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly ILogSink _sink;
    private readonly LogLineFormatter _formatter;
    private readonly LogLevel _minimum;
    private readonly TimeProvider _time;
    private readonly Task _pump;

    public FreeRadiusLoggerProvider(TextWriter writer, LogLevel minimum, TimeProvider time)
        : this(new TextWriterLogSink(writer), LogLineFormatter.PlainText, minimum, time)
    {
    }

    public FreeRadiusLoggerProvider(ILogSink sink, LogLineFormatter formatter, LogLevel minimum, TimeProvider time)
    {
        _sink = sink;
        _formatter = formatter;
        _minimum = minimum;
        _time = time;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>
    /// The provider for a <c>[log]</c> table. Throws IOException or UnauthorizedAccessException when the log file cannot be opened.
    /// </summary>
    public static FreeRadiusLoggerProvider Create(LogSettings settings, LogLevel minimum, TimeProvider time, TextWriter stdout)
    {
        var (sink, formatter) = settings.Destination switch
        {
            LogDestination.File => ((ILogSink)new FileLogSink(settings.File!), new LogLineFormatter(settings.Format, journald: false, forSyslog: false)),
            LogDestination.Syslog => (new SyslogLogSink(settings.Facility, time), new LogLineFormatter(settings.Format, journald: false, forSyslog: true)),
            _ => (new TextWriterLogSink(stdout), new LogLineFormatter(settings.Format, LogLineFormatter.StdoutIsJournal, forSyslog: false)),
        };
        return new FreeRadiusLoggerProvider(sink, formatter, minimum, time);
    }

    /// <summary>
    /// Reopens a log file (logrotate's postrotate sends SIGHUP; the host's SIGHUP handler calls this). Safe from any thread;
    /// a no-op for stdout and syslog.
    /// </summary>
    public void Reopen() => _sink.Reopen();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
        _lines.Writer.TryComplete();
        _pump.Wait(TimeSpan.FromSeconds(2));
        _sink.Dispose();
    }

    private async Task PumpAsync()
    {
        await foreach (var (level, line) in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            _sink.Write(level, line);
            if (_lines.Reader.Count == 0)
            {
                _sink.Flush();
            }
        }

        _sink.Flush();
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

            var line = provider._formatter.Format(provider._time.GetLocalNow(), logLevel, eventId, state, exception, formatter);
            provider._lines.Writer.TryWrite((logLevel, line));
        }
    }
}
