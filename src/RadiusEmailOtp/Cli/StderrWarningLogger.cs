using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Cli;

/// <summary>Prints a command's warnings (a resolver's "URI unavailable: cause") as one line each on stderr.</summary>
internal sealed class StderrWarningLogger(string command) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Console.Error.WriteLine($"radius-email-otp {command}: warning: {formatter(state, exception)}");
        }
    }
}
