using Microsoft.Extensions.Options;
using Reelgate.Telemetry;

namespace Reelgate.Limits;

public enum ClientAction { Registration, Login }

/// <summary>Per-address limits on signing up and signing in, counted in the shared limiter so every instance sees them.</summary>
public sealed class ClientRateLimits(DistributedRateLimiter limiter, IOptions<RateLimitOptions> options)
{
    public WindowLimit LimitFor(ClientAction action) => action == ClientAction.Registration ? options.Value.Registration : options.Value.Login;

    public Task<RateDecision> AcquireAsync(ClientAction action, HttpContext http)
    {
        var limit = LimitFor(action);
        var prefix = action == ClientAction.Registration ? "register-ip" : "login-ip";
        return limiter.AcquireAsync($"{prefix}:{ClientAddress.Of(http)}", limit.Requests, limit.WindowSeconds, http.RequestAborted);
    }

    /// <summary>Marks a refused form post (429 with Retry-After, or 503) and says why, for people rather than clients.</summary>
    public static string RefuseForm(HttpResponse response, ClientAction action, RateDecision decision)
    {
        RateLimitHeaders.Apply(response, decision.Limit, decision);
        response.StatusCode = decision.StoreFailed ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status429TooManyRequests;
        if (decision.StoreFailed) return "We could not check this request just now; try again in a moment.";
        ReelgateMetrics.RateLimited(action == ClientAction.Registration ? "registration" : "login");
        var what = action == ClientAction.Registration ? "sign-ups" : "sign-in attempts";
        return $"Too many {what} from your network. Try again in {Wait(decision.ResetSeconds)}.";
    }

    private static string Wait(int seconds)
    {
        if (seconds < 60) return seconds == 1 ? "1 second" : $"{seconds} seconds";
        var minutes = (seconds + 59) / 60;
        return minutes == 1 ? "1 minute" : $"{minutes} minutes";
    }
}
