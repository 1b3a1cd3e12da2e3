using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Reelgate.Tests.Support;

/// <summary>
/// The app log lines written since the running test started, for its result should it fail. <see cref="LoggedTestFramework"/>
/// opens one per test collection and clears it as each test starts; apps and processes started by the collection write here.
/// At most <see cref="MaxLines"/> are kept, the latest, so a chatty test costs bounded memory. An entry is written out
/// only when read: a passing test's lines, the most of them, are never formatted.
/// </summary>
public sealed class TestLogBook
{
    public const int MaxLines = 5000;

    private static readonly AsyncLocal<TestLogBook?> Ambient = new();
    private readonly Queue<Func<string>> _lines = new();
    private int _dropped;

    /// <summary>The running test collection's book, or null outside a test collection.</summary>
    public static TestLogBook? Current => Ambient.Value;

    internal static TestLogBook Open() => Ambient.Value = new TestLogBook();

    public void Add(string line) => Add(() => line);

    public void Add(Func<string> line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count <= MaxLines) return;
            _lines.Dequeue();
            _dropped++;
        }
    }

    public void Clear()
    {
        lock (_lines)
        {
            _lines.Clear();
            _dropped = 0;
        }
    }

    /// <summary>The kept lines, one a line, after a note of how many earlier ones were let go.</summary>
    public string Text()
    {
        lock (_lines)
        {
            var kept = string.Join('\n', _lines.Select(line => line()));
            return _dropped == 0 ? kept : $"({_dropped} earlier lines left out)\n{kept}";
        }
    }
}

/// <summary>
/// Writes every enabled entry to the test collection's <see cref="TestLogBook"/> and prints warnings and errors as they come,
/// so a passing test's output holds only what deserves attention and a failing one's holds the app's whole log.
/// </summary>
public sealed class TestLogProvider(TestLogBook? book, TextWriter? console = null) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, book, console ?? Console.Out);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, TestLogBook? book, TextWriter console) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var at = DateTime.UtcNow;
            string Text()
            {
                var line = new StringBuilder()
                    .Append(CultureInfo.InvariantCulture, $"{at:HH:mm:ss.fff} {Short(logLevel)} {category}: {formatter(state, exception)}");
                if (exception is not null) line.Append('\n').Append(exception);
                return line.ToString();
            }
            if (logLevel < LogLevel.Warning)
            {
                book?.Add(Text);
                return;
            }
            var text = Text();
            book?.Add(text);
            console.WriteLine(text);
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
