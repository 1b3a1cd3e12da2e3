using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Shotstack;

namespace Reelgate.Tests.Support;

/// <summary>
/// Adds the Shotstack services and routes to the app under test when App does not map them itself yet; once App
/// calls AddShotstackCompat and MapShotstack this finds the routes already mapped and adds nothing.
/// </summary>
internal sealed class ShotstackWiring : IStartupFilter
{
    public static void AddTo(IServiceCollection services)
    {
        services.AddShotstackCompat();
        services.AddTransient<IStartupFilter, ShotstackWiring>();
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        // WebApplication leaves itself here as the route builder its routing middleware reads.
        if (!app.Properties.TryGetValue("__EndpointRouteBuilder", out var value) || value is not IEndpointRouteBuilder routes)
        {
            throw new InvalidOperationException("The app's route builder was not found; map the Shotstack routes in App instead.");
        }
        var mapped = routes.DataSources.SelectMany(source => source.Endpoints)
            .Any(endpoint => endpoint.Metadata.GetMetadata<ShotstackEnvelopeMarker>() is not null);
        if (!mapped) routes.MapShotstack();
    };
}
