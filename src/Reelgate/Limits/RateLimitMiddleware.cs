using Reelgate.ApiKeys;
using Reelgate.Common;
using Reelgate.Telemetry;

namespace Reelgate.Limits;

/// <summary>Applies the per-key limit to authenticated API requests and adds the RateLimit-* headers.</summary>
public sealed class RateLimitMiddleware(RequestDelegate next, DistributedRateLimiter limiter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true || !IsApiPath(context.Request.Path))
        {
            await next(context);
            return;
        }

        var defaults = limiter.Options;
        var (limiterKey, limit, window) = context.Items[typeof(KeyIdentity)] is KeyIdentity key
            ? ($"key:{key.KeyId:N}", key.RateLimitRequests ?? defaults.Requests, key.RateLimitWindow ?? defaults.WindowSeconds)
            : ($"user:{context.User.UserId():N}", defaults.Requests, defaults.WindowSeconds);

        var decision = await limiter.AcquireAsync(limiterKey, limit, window, context.RequestAborted);
        RateLimitHeaders.Apply(context.Response, limit, decision);
        if (decision.Allowed)
        {
            await next(context);
            return;
        }
        if (decision.StoreFailed)
        {
            await Unavailable.WriteAsync(context, "The request could not be checked against your rate limit; retry in a few seconds.");
            return;
        }
        ReelgateMetrics.RateLimited("api");
        await ProblemWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests.",
            $"This key allows {limit} requests per {window} seconds; retry in {decision.ResetSeconds} seconds.");
    }

    public static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/edit") || path.StartsWithSegments("/v1") || path.StartsWithSegments("/stage");
}
