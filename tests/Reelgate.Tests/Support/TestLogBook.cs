using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Reelgate.Tests.Support;

/// <summary>
/// The app log lines written while one test class runs. <see cref="LoggedTestFramework"/> opens one per class and adds a
/// failing test's lines to its result; apps and processes started by the class write here.
/// </summary>
public sealed class TestLogBook
{
    private static readonly AsyncLocal<TestLogBook?> Ambient = new();
    private readonly List<string> _lines = [];

    /// <summary>The running test class's book, or null outside a test class.</summary>
    public static TestLogBook? Current => Ambient.Value;

    internal static void Open() => Ambient.Value = new TestLogBook();

    public int Count
    {
        get { lock (_lines) return _lines.Count; }
    }

    public void Add(string line)
    {
        lock (_lines) _lines.Add(line);
    }

    public string Since(int index)
    {
        lock (_lines) return string.Join('\n', _lines.Skip(index));
    }
}

/// <summary>
/// Writes every enabled entry to the test class's <see cref="TestLogBook"/> and prints warnings and errors as they come,
/// so a passing test's output holds only what deserves attention.
/// </summary>
public sealed class TestLogProvider(TestLogBook? book) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, book);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, TestLogBook? book) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {Short(logLevel)} {category}: {formatter(state, exception)}");
            if (exception is not null) line.Append('\n').Append(exception);
            var text = line.ToString();
            book?.Add(text);
            if (logLevel >= LogLevel.Warning) Console.WriteLine(text);
        }

        private static string Short(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
