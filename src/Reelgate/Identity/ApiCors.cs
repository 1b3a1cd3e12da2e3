using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Reelgate.Limits;

namespace Reelgate.Identity;

/// <summary>
/// The one CORS policy, for API routes only: exact origins, credentials allowed (so never '*'), the headers API
/// clients send and the rate-limit and idempotency headers they read. Pages and sign-in get no CORS headers.
/// </summary>
public sealed class ApiCors(IOptions<CorsOptions> options) : ICorsPolicyProvider
{
    private readonly DefaultCorsPolicyProvider _default = new(options);

    public static void Configure(CorsPolicyBuilder policy, string[] origins)
    {
        policy.WithOrigins(origins)
            .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
            .WithHeaders("Authorization", "x-api-key", "Idempotency-Key", "Content-Type", "Prefer")
            .WithExposedHeaders("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy", "Retry-After", "Location", "Idempotent-Replayed")
            .AllowCredentials()
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
    }

    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName) =>
        RateLimitMiddleware.IsApiPath(context.Request.Path) ? _default.GetPolicyAsync(context, policyName) : Task.FromResult<CorsPolicy?>(null);
}
