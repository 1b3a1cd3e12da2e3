using Reelgate.Common;
using Reelgate.Telemetry;

namespace Reelgate.Limits;

public static class ClientRateLimitFilter
{
    /// <summary>Counts every call of the endpoint against the caller's address; over the limit it answers 429 with Retry-After.</summary>
    public static RouteHandlerBuilder RequireClientRateLimit(this RouteHandlerBuilder endpoint, ClientAction action) =>
        endpoint
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                var limits = http.RequestServices.GetRequiredService<ClientRateLimits>();
                var decision = await limits.AcquireAsync(action, http);
                var limit = limits.LimitFor(action);
                RateLimitHeaders.Apply(http.Response, decision.Limit, decision);
                if (decision.Allowed) return await next(context);
                if (decision.StoreFailed)
                {
                    return Problems.Create(StatusCodes.Status503ServiceUnavailable, "rate-limiter-unavailable", "Rate limiter unavailable.",
                        "The request could not be checked against this address's rate limit; retry shortly.");
                }
                var what = action == ClientAction.Registration ? "sign-ups" : "sign-in attempts";
                ReelgateMetrics.RateLimited(action == ClientAction.Registration ? "registration" : "login");
                return Problems.Create(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests.",
                    $"This address may make {limit.Requests} {what} per {limit.WindowSeconds} seconds; retry in {decision.ResetSeconds} seconds.");
            })
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
