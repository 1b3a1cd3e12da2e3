using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Reelgate.Common;

/// <summary>RFC 9457 problem results with `type` = /problems/&lt;slug&gt;.</summary>
public static class Problems
{
    public static ProblemHttpResult Create(int status, string slug, string title, string? detail = null,
        IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: $"/problems/{slug}", extensions: extensions);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(errors, detail ?? Describe(errors), title: "The request is invalid.", type: "/problems/validation");

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult NotFound(string what) =>
        Create(StatusCodes.Status404NotFound, "not-found", "Not found.", $"No {what} with that id.");

    public static ProblemHttpResult InsufficientCredits(decimal required, decimal available) =>
        Create(StatusCodes.Status402PaymentRequired, "insufficient-credits", "Insufficient credits.",
            $"This needs {required:0.00} credits; {available:0.00} are available.",
            new Dictionary<string, object?> { ["required"] = required, ["available"] = available });

    /// <summary>
    /// Applied to every problem written: the request id, and a /problems/ type for those the framework writes itself
    /// (no route, wrong method, wrong content type), which would otherwise link to the HTTP RFC.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
        {
            var phrase = ReasonPhrases.GetReasonPhrase(problem.Status ?? context.HttpContext.Response.StatusCode);
            problem.Type = $"/problems/{(phrase.Length > 0 ? phrase.ToLowerInvariant().Replace(' ', '-') : "error")}";
        }
        problem.Extensions["requestId"] = context.HttpContext.TraceIdentifier;
    }

    private static string Describe(IDictionary<string, string[]> errors)
    {
        var first = errors.First();
        return errors.Count == 1
            ? $"{first.Key}: {first.Value.FirstOrDefault()}"
            : $"{errors.Count} fields are invalid; first {first.Key}: {first.Value.FirstOrDefault()}";
    }
}
