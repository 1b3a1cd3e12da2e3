using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Generation;
using Reelgate.Providers;

namespace Reelgate.Tests.Support;

/// <summary>
/// Adds the Providers and Generation services and routes to the app under test when App does not map them itself
/// yet; once App calls AddProviders/AddGeneration and MapProviders/MapGeneration this adds nothing.
/// </summary>
internal sealed class ProvidersWiring : IStartupFilter
{
    public static void AddTo(WebHostBuilderContext context, IServiceCollection services)
    {
        services.AddProviders(context.Configuration);
        services.AddGeneration(context.Configuration);
        services.AddTransient<IStartupFilter, ProvidersWiring>();
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        if (!app.Properties.TryGetValue("__EndpointRouteBuilder", out var value) || value is not IEndpointRouteBuilder routes)
        {
            throw new InvalidOperationException("The app's route builder was not found; map the provider routes in App instead.");
        }
        var patterns = routes.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(endpoint => endpoint.RoutePattern.RawText).ToHashSet(StringComparer.Ordinal);
        if (!patterns.Contains("/webhooks/runpod")) routes.MapProviders();
        if (!patterns.Contains("/api/v1/generate")) routes.MapGeneration();
    };
}
