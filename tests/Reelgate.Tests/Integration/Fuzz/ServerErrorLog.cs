using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Reelgate.Tests.Integration.Fuzz;

/// <summary>Keeps the app's logged exceptions, so a 5xx in a report comes with the exception that caused it.</summary>
internal sealed class ServerErrorLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _errors = new();

    public int Count => _errors.Count;

    /// <summary>Exceptions logged after the first <paramref name="mark"/>; requests are sent one at a time, so they are that request's.</summary>
    public string Since(int mark) => string.Join("\n", _errors.Skip(mark));

    public ILogger CreateLogger(string categoryName) => new Logger(_errors);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> errors) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is null || !IsEnabled(logLevel)) return;
            var origin = exception.StackTrace?.Split('\n').FirstOrDefault(line => line.Contains("Reelgate.", StringComparison.Ordinal))?.Trim();
            errors.Enqueue($"{formatter(state, exception)}: {exception.GetType().FullName}: {exception.Message} {origin}");
        }
    }
}
