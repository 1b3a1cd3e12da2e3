using Reelgate.Common;
using Reelgate.Limits;

namespace Reelgate.Usage;

public static class UsageCounting
{
    /// <summary>
    /// Counts every authenticated API request the rate limiter let through (the same requests it limits), after the
    /// response, for GET /api/v1/usage. Place after authentication.
    /// </summary>
    public static IApplicationBuilder UseUsageCounting(this IApplicationBuilder app)
    {
        var counter = app.ApplicationServices.GetRequiredService<RequestCounter>();
        return app.Use(async (context, next) =>
        {
            await next(context);
            if (context.User.Identity?.IsAuthenticated == true && RateLimitMiddleware.IsApiPath(context.Request.Path)
                && context.Response.StatusCode != StatusCodes.Status429TooManyRequests)
            {
                counter.Count(context.User.UserId(), context.User.ApiKeyId());
            }
        });
    }
}
