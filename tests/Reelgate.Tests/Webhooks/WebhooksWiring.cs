using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Webhooks;

namespace Reelgate.Tests.Webhooks;

/// <summary>
/// Adds the webhook services and routes to the app under test when App does not map them itself yet; once App
/// calls AddWebhooks and MapWebhooks this finds them present and adds nothing.
/// </summary>
internal sealed class WebhooksWiring : IStartupFilter
{
    public static void AddTo(WebHostBuilderContext context, IServiceCollection services)
    {
        services.AddWebhooks(context.Configuration);
        services.AddTransient<IStartupFilter, WebhooksWiring>();
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        // WebApplication leaves itself here as the route builder its routing middleware reads.
        if (!app.Properties.TryGetValue("__EndpointRouteBuilder", out var value) || value is not IEndpointRouteBuilder routes)
        {
            throw new InvalidOperationException("The app's route builder was not found; map the webhook routes in App instead.");
        }
        var mapped = routes.DataSources.SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Any(endpoint => endpoint.RoutePattern.RawText?.EndsWith("/webhook-deliveries", StringComparison.Ordinal) == true);
        if (!mapped) routes.MapWebhooks();
    };
}
