using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Reelgate.Data;

namespace Reelgate.Common;

/// <summary>
/// Turns unreadable requests into 4xx problems that name the field, a database outage into 503 (logged once per outage),
/// and anything else into a bare 500.
/// </summary>
public sealed class ErrorHandler(IProblemDetailsService problems, DatabaseAvailability database, ILogger<ErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Type = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "/problems/body-too-large" : "/problems/bad-request",
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large." : "Bad request.",
                Detail = bad.Message,
            },
            _ when IsUnstorableText(exception) => UnstorableTextProblem(context, exception),
            _ => null,
        };
        if (problem is null && database.RecordIfOutage(exception))
        {
            if (context.Response.HasStarted) return false;
            await Unavailable.WriteAsync(context, "The database cannot be reached; retry in a few seconds.", exception);
            return true;
        }
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Type = "/problems/internal-error",
                Title = "Something went wrong on our side.",
                Detail = "The error has been logged; quote the request id when reporting it.",
            };
        }
        if (context.Response.HasStarted) return false;
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>PostgreSQL refusing text (NUL, or a character its encoding lacks) that the request checks should have caught first.</summary>
    private static bool IsUnstorableText(Exception exception) =>
        (exception as PostgresException ?? exception.InnerException as PostgresException)?.SqlState
            is PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter;

    private ProblemDetails UnstorableTextProblem(HttpContext context, Exception exception)
    {
        logger.LogWarning(exception, "Text the database refused reached it on {Method} {Path}", context.Request.Method, context.Request.Path);
        return new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Type = "/problems/unstorable-text",
            Title = "The request holds text that cannot be stored.",
            Detail = "Remove NUL characters (U+0000) and unpaired UTF-16 surrogates from the request.",
        };
    }

    private static ProblemDetails JsonProblem(JsonException json)
    {
        var path = JsonPaths.FromJsonPath(json.Path);
        var message = json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "is not a known property."
            : json.Message.Contains("missing required", StringComparison.Ordinal)
                ? "is missing required properties."
                : json.Path is null || json.LineNumber is null ? "is not valid JSON." : "has the wrong type or is not valid JSON.";
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [path] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Type = "/problems/validation",
            Title = "The request is invalid.",
            Detail = $"{path}: {message}",
        };
        return problem;
    }
}

public static class JsonPaths
{
    /// <summary>"$.timeline.tracks[0]" → "timeline.tracks[0]"; "$" → "body".</summary>
    public static string FromJsonPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$") return "body";
        var path = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return path.Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal).TrimStart('.');
    }
}
