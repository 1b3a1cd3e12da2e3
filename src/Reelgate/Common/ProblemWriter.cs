using Microsoft.AspNetCore.Mvc;

namespace Reelgate.Common;

public static class ProblemWriter
{
    public static async Task WriteAsync(HttpContext context, int status, string slug, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Type = $"/problems/{slug}", Title = title, Detail = detail },
        });
    }
}
