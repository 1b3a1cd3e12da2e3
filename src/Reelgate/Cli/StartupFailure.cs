using Microsoft.Extensions.Options;
using Reelgate.Common;

namespace Reelgate.Cli;

/// <summary>Turns a configuration error, wherever in start-up it surfaced, into the one paragraph an operator reads.</summary>
public static class StartupFailure
{
    public const int ExitCode = 2;

    /// <summary>The paragraph for <paramref name="exception"/>, or null when it is not a configuration error (a bug keeps its stack).</summary>
    public static string? Explain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var e))
        {
            var sentence = e switch
            {
                ConfigurationException configuration => configuration.Message,
                OptionsValidationException invalid => string.Join(" ", invalid.Failures),
                _ => null,
            };
            if (sentence is not null) return "Reelgate cannot start: " + string.Join(' ', sentence.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            if (e is AggregateException aggregate) foreach (var inner in aggregate.InnerExceptions) pending.Push(inner);
            else if (e.InnerException is { } inner) pending.Push(inner);
        }
        return null;
    }
}
