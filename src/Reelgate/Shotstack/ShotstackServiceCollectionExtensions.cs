using Microsoft.AspNetCore.Authorization;
using Reelgate.Fetch;

namespace Reelgate.Shotstack;

public static class ShotstackServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Shotstack-compatible render views and templates, the envelope for authentication failures and
    /// problems on Shotstack routes, and the callback sender (options in <c>Shotstack:Callbacks</c>). Needs <c>AddFetch</c>; safe to call twice.
    /// </summary>
    public static IServiceCollection AddShotstackCompat(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ShotstackCallbackStore))) return services;
        services.AddOptions<ShotstackCallbackOptions>().BindConfiguration(ShotstackCallbackOptions.Section);
        services.AddSingleton<ShotstackRenders>();
        services.AddSingleton<ShotstackCallbackStore>();
        services.AddSingleton<ShotstackTemplateStore>();
        services.AddSingleton<ShotstackAssets>();
        services.AddOptions<ShotstackProbeOptions>().BindConfiguration(ShotstackProbeOptions.Section);
        services.AddTransient<ShotstackProbe>();
        // Ahead of the default writer, which would otherwise answer every problem as problem+json.
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, ShotstackProblemWriter>());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ShotstackAuthorizationResultHandler>();
        services.AddHttpClient(ShotstackCallbackSender.ClientName).AddFetchGuard();
        services.AddHostedService<ShotstackCallbackSender>();
        return services;
    }
}
