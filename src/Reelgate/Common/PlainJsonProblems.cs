using Microsoft.Net.Http.Headers;

namespace Reelgate.Common;

/// <summary>
/// Clients that accept application/json but not application/problem+json (n8n's HTTP Request node among them)
/// get errors labelled application/json, with the same body, so they parse it; everyone else keeps problem+json.
/// </summary>
public static class PlainJsonProblems
{
    private const string Problem = "application/problem+json";

    public static IApplicationBuilder UsePlainJsonProblems(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (WantsPlainJson(context.Request))
            {
                context.Response.OnStarting(() =>
                {
                    var type = context.Response.ContentType;
                    if (type is not null && type.StartsWith(Problem, StringComparison.OrdinalIgnoreCase))
                    {
                        context.Response.ContentType = "application/json" + type[Problem.Length..];
                    }
                    return Task.CompletedTask;
                });
            }
            return next(context);
        });

    public static bool WantsPlainJson(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)) return false;
        bool Lists(string type) => accepted.Any(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);
        return Lists("application/json") && !Lists(Problem);
    }
}
