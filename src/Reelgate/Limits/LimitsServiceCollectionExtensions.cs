using Reelgate.Common;

namespace Reelgate.Limits;

public static class LimitsServiceCollectionExtensions
{
    /// <summary>The shared rate limiter (section <c>RateLimit</c>; env RATE_LIMIT_*), its flusher and the per-address sign-up and sign-in limits.</summary>
    public static IServiceCollection AddLimits(this IServiceCollection services, IConfiguration configuration)
    {
        ConfigAliases.Apply(configuration);
        services.AddOptions<RateLimitOptions>()
            .Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => IsValid(o.Registration) && IsValid(o.Login),
                "RateLimit:Registration and RateLimit:Login need Requests and WindowSeconds of at least 1.")
            .Validate(o => o.Requests >= 1 && o.ReadRequests >= 1 && o.WindowSeconds >= 1,
                "RateLimit:Requests, RateLimit:ReadRequests and RateLimit:WindowSeconds need to be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<RateLimitStore>();
        services.AddSingleton<DistributedRateLimiter>();
        services.AddSingleton<ClientRateLimits>();
        services.AddHostedService<RateLimitFlusher>();
        return services;
    }

    private static bool IsValid(WindowLimit limit) => limit.Requests >= 1 && limit.WindowSeconds >= 1;
}
