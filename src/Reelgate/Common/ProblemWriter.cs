using Microsoft.AspNetCore.Mvc;

namespace Reelgate.Common;

public static class ProblemWriter
{
    public static async Task WriteAsync(HttpContext context, int status, string slug, string title, string detail,
        IDictionary<string, object?>? extensions = null)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        var details = new ProblemDetails { Status = status, Type = $"/problems/{slug}", Title = title, Detail = detail };
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>()) details.Extensions[name] = value;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = details,
        });
    }
}
