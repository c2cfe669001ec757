using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace KubeCache.Testing;

/// <summary>
/// Sends an in-process server's warnings and errors to the test's output, so a failure that only
/// happens on a loaded CI machine says what the server saw (a node marked down, and why).
/// </summary>
public sealed class TestOutputLogging(ITestOutputHelper output) : ILoggerProvider
{
    /// <summary>Replaces the server's log providers with the test's output, warnings and above.</summary>
    public static Action<ILoggingBuilder> For(ITestOutputHelper output) => logging =>
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddProvider(new TestOutputLogging(output));
    };

    public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
            }
            catch (InvalidOperationException)
            {
                // The test has ended; a server still stopping has nobody to tell.
            }
        }
    }
}
