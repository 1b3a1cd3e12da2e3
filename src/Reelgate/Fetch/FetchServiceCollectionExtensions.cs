using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Reelgate.Fetch;

public static class FetchServiceCollectionExtensions
{
    /// <summary>Registers <see cref="FetchOptions"/>, the address policy, <see cref="UrlGuard"/> and the typed <see cref="AssetFetcher"/>.</summary>
    public static IServiceCollection AddFetch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FetchOptions>().Bind(configuration.GetSection(FetchOptions.Section));
        services.TryAddSingleton<IAddressPolicy, NetworkAddressPolicy>();
        services.TryAddSingleton<UrlGuard>();
        services.TryAddSingleton<InFlightDownloads>();
        services.AddHttpClient<AssetFetcher>().AddFetchGuard();
        return services;
    }

    /// <summary>
    /// Routes an HttpClient through the address guard; use it for every client that calls user-supplied URLs
    /// (outbound webhooks, callbacks). Needs <see cref="AddFetch"/>.
    /// </summary>
    public static IHttpClientBuilder AddFetchGuard(this IHttpClientBuilder builder)
    {
        builder.ConfigureHttpClient((services, client) =>
        {
            // Each download enforces its own deadline, which may exceed HttpClient's default 100 s.
            client.Timeout = Timeout.InfiniteTimeSpan;
            client.DefaultRequestHeaders.UserAgent.ParseAdd(services.GetRequiredService<IOptions<FetchOptions>>().Value.UserAgent);
        });
        builder.ConfigurePrimaryHttpMessageHandler(services => GuardedHttpHandler.Create(
            services.GetRequiredService<IAddressPolicy>(),
            services.GetRequiredService<IOptions<FetchOptions>>().Value));
        return builder;
    }
}
