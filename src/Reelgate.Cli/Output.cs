using System.Text.Json;
using Spectre.Console;

namespace Reelgate.Cli;

/// <summary>Exit codes scripts can tell apart.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Reelgate refused the request (4xx) or the command line was wrong.</summary>
    public const int Refused = 1;
    public const int Unreachable = 2;
    public const int ServerError = 3;
    /// <summary>The job ended failed or canceled.</summary>
    public const int JobUnsuccessful = 4;
}

/// <summary>
/// What a command prints: tables and progress for people, raw JSON with <c>--json</c>. Messages and errors go to
/// stderr so stdout stays parseable; progress animates only on a terminal.
/// </summary>
public sealed class Output(bool json)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static readonly IAnsiConsole Errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });

    public bool Json { get; } = json;

    public IAnsiConsole Console { get; } = Unbounded(AnsiConsole.Console);

    /// <summary>True when a progress bar may draw: a terminal on stdout, not JSON mode.</summary>
    public bool Live => !Json && !System.Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    // Piped output has no width to fit, so table rows stay whole, one line each, for grep and cut.
    private static IAnsiConsole Unbounded(IAnsiConsole console)
    {
        if (System.Console.IsOutputRedirected) console.Profile.Width = 400;
        return console;
    }

    public void Raw(JsonElement value) => System.Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    public void Line(string markup) => Console.MarkupLine(markup);

    /// <summary>A progress note; on stderr so a pipe of stdout gets only the result.</summary>
    public void Note(string text)
    {
        if (!Json) Errors.MarkupLine($"[grey]{Markup.Escape(text)}[/]");
    }

    public int Fail(string message, int exitCode = ExitCodes.Refused)
    {
        Errors.MarkupLine($"[red]{Markup.Escape(message)}[/]");
        return exitCode;
    }

    public int Problem(ApiProblemException problem)
    {
        if (Json && problem.Body.Length > 0) System.Console.Out.WriteLine(problem.Body);
        Errors.MarkupLine($"[red bold]{Markup.Escape(problem.Title)}[/] [grey]({problem.Status})[/]");
        if (!string.IsNullOrEmpty(problem.Detail) && problem.Errors.Count == 0) Errors.MarkupLine(Markup.Escape(problem.Detail));
        foreach (var (field, messages) in problem.Errors)
        {
            foreach (var message in messages) Errors.MarkupLine($"  [yellow]{Markup.Escape(field)}[/]: {Markup.Escape(message)}");
        }
        return problem.Status >= 500 ? ExitCodes.ServerError : ExitCodes.Refused;
    }
}
