using System.Globalization;

namespace Reelgate.Limits;

/// <summary>A named quota, as the IETF RateLimit header fields draft describes it.</summary>
public sealed record RatePolicy(string Name, int Requests, int WindowSeconds)
{
    public const string Default = "default";
    public const string Read = "read";
}

public static class RateLimitHeaders
{
    /// <summary>RateLimit-Limit, -Remaining and -Reset on every limited response, and Retry-After once refused.</summary>
    public static void Apply(HttpResponse response, int limit, RateDecision decision)
    {
        var headers = response.Headers;
        headers["RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Reset"] = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
        if (!decision.Allowed && !decision.StoreFailed) headers.RetryAfter = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// RateLimit-Policy lists every quota of the key (<c>"read";q=3600;w=3600</c>); RateLimit names the one this
    /// request counted against, with what remains of it and when it resets (<c>"read";r=3599;t=60</c>).
    /// </summary>
    public static void ApplyPolicies(HttpResponse response, IReadOnlyList<RatePolicy> policies, RatePolicy counted, RateDecision decision)
    {
        response.Headers["RateLimit-Policy"] = string.Join(", ", policies.Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"\"{p.Name}\";q={p.Requests};w={p.WindowSeconds}")));
        response.Headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture, $"\"{counted.Name}\";r={decision.Remaining};t={decision.ResetSeconds}");
    }
}
