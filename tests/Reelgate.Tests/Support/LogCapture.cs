using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Reelgate.Tests.Support;

public sealed record CapturedLog(string Category, LogLevel Level, string Message);

/// <summary>
/// Keeps every log entry the app writes; add it with <c>ILoggerFactory.AddProvider</c>. <see cref="FullText"/> holds all
/// a log sink could be given: each message, exception, structured value and scope.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private readonly StringBuilder _full = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public string FullText
    {
        get { lock (_full) return _full.ToString(); }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Record<TState>(string category, LogLevel level, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        _entries.Enqueue(new CapturedLog(category, level, message));
        var line = new StringBuilder().Append(level).Append(' ').Append(category).Append(": ").Append(message);
        AppendValues(line, state);
        _scopes?.ForEachScope((scope, text) => text.Append(" => ").Append(scope).Append(AppendValues(new StringBuilder(), scope)), line);
        if (exception is not null) line.Append('\n').Append(exception);
        lock (_full) _full.Append(line).Append('\n');
    }

    private static StringBuilder AppendValues(StringBuilder text, object? values)
    {
        if (values is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs) text.Append(' ').Append(key).Append('=').Append(value);
        }
        return text;
    }

    private sealed class Logger(string category, LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Record(category, logLevel, state, exception, formatter);
    }
}
