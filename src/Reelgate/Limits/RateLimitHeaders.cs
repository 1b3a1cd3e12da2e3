using System.Globalization;

namespace Reelgate.Limits;

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
}
