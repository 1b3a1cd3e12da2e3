using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Reelgate.Telemetry;

/// <summary>
/// Every logger the app hands out replaces the values of secret-bearing query parameters (a signed link's <c>sig</c>,
/// tokens, keys, codes) with <c>[redacted]</c>, in messages and structured values alike, before any sink sees them.
/// ASP.NET Core's request log prints the full URL at Information, and a signed download link is a credential.
/// </summary>
public static partial class LogRedaction
{
    public const string Mask = "[redacted]";

    public static IServiceCollection AddLogRedaction(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(ActivatorUtilities.CreateInstance<LoggerFactory>(sp))));
        return services;
    }

    public static string Redact(string text) => text.Contains('=') ? SecretParameter().Replace(text, Mask) : text;

    [GeneratedRegex(@"(?<=[?&;](?:sig|signature|token|access_token|id_token|refresh_token|code|key|api_key|apikey|password|secret|client_secret)=)[^&#\s""'<>]+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretParameter();

    private sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            var message = formatter(state, exception);
            var redacted = Redact(message);
            if (ReferenceEquals(redacted, message) && !HasSecretValue(state))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }
            inner.Log(logLevel, eventId, new RedactedState(redacted, Values(state)), exception, static (s, _) => s.Message);
        }

        private static bool HasSecretValue<TState>(TState state) =>
            state is IEnumerable<KeyValuePair<string, object?>> pairs && pairs.Any(p => p.Value is string text && !ReferenceEquals(Redact(text), text));

        private static List<KeyValuePair<string, object?>> Values<TState>(TState state) =>
            state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? [.. pairs.Select(p => p.Value is string text ? new KeyValuePair<string, object?>(p.Key, Redact(text)) : p)]
                : [];
    }

    /// <summary>Structured like the original (JSON sinks still see each value), with the redacted message as its text.</summary>
    private sealed class RedactedState(string message, List<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }
}
