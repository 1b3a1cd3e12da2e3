using System.Globalization;
using System.Net.Mime;
using Microsoft.AspNetCore.Mvc;
using Reelgate.Limits;

namespace Reelgate.Common;

/// <summary>
/// The 503 answered while the database is down: `/problems/unavailable` with Retry-After, or for a browser asking
/// for a page, a plain HTML page saying the same.
/// </summary>
public static class Unavailable
{
    public const int RetryAfterSeconds = 5;

    private const string Page = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Temporarily unavailable · Reelgate</title></head>
        <body><h1>Temporarily unavailable</h1><p>Reelgate cannot reach its database right now. Reload this page in a few seconds.</p></body>
        </html>
        """;

    /// <summary>Answers 503 with Retry-After; a client that accepts neither a page nor a problem gets the bare status.</summary>
    public static async Task WriteAsync(HttpContext context, string detail, Exception? exception = null)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        if (WantsPage(context.Request))
        {
            response.ContentType = MediaTypeNames.Text.Html + "; charset=utf-8";
            await response.WriteAsync(Page, context.RequestAborted);
            return;
        }
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Type = "/problems/unavailable",
                Title = "Temporarily unavailable.",
                Detail = detail,
            },
        });
    }

    private static bool WantsPage(HttpRequest request) =>
        !RateLimitMiddleware.IsApiPath(request.Path) && request.Headers.Accept.ToString().Contains(MediaTypeNames.Text.Html, StringComparison.OrdinalIgnoreCase);
}
