using Reelgate.ApiKeys;
using Reelgate.Common;
using Reelgate.Telemetry;

namespace Reelgate.Limits;

/// <summary>
/// Applies the per-key limits to authenticated API requests and adds the RateLimit-* headers: reads of one's own
/// jobs count against the "read" allowance, everything else against the "default" request limit.
/// </summary>
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
        var key = context.Items[typeof(KeyIdentity)] as KeyIdentity;
        var subject = key is null ? $"user:{context.User.UserId():N}" : $"key:{key.KeyId:N}";
        var window = key?.RateLimitWindow ?? defaults.WindowSeconds;
        var policies = new[]
        {
            new RatePolicy(RatePolicy.Default, key?.RateLimitRequests ?? defaults.Requests, window),
            new RatePolicy(RatePolicy.Read, defaults.ReadRequests, window),
        };
        var policy = context.GetEndpoint()?.Metadata.GetMetadata<ReadAllowance>() is null ? policies[0] : policies[1];
        var limiterKey = policy.Name == RatePolicy.Default ? subject : $"{subject}:{policy.Name}";

        var decision = await limiter.AcquireAsync(limiterKey, policy.Requests, policy.WindowSeconds, context.RequestAborted);
        RateLimitHeaders.Apply(context.Response, policy.Requests, decision);
        RateLimitHeaders.ApplyPolicies(context.Response, policies, policy, decision);
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
        ReelgateMetrics.RateLimited(policy.Name);
        var what = policy.Name == RatePolicy.Read ? "reads of its jobs" : "requests";
        await ProblemWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests.",
            $"This key allows {policy.Requests} {what} per {policy.WindowSeconds} seconds; retry in {decision.ResetSeconds} seconds.");
    }

    public static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/edit") || path.StartsWithSegments("/v1") || path.StartsWithSegments("/stage")
        || path.StartsWithSegments("/serve");
}
