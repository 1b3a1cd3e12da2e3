using Reelgate.Fetch;

namespace Reelgate.Webhooks;

public static class WebhooksServiceCollectionExtensions
{
    /// <summary>
    /// Registers webhook endpoints, the delivery outbox and its sender (options in <c>Webhooks</c>), with a
    /// guarded HttpClient. Needs <c>AddFetch</c>, the job services and <c>Notifications</c>; safe to call twice.
    /// </summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(WebhookOutbox))) return services;
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section));
        services.AddSingleton<WebhookEndpointStore>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<WebhookDeliveryLog>();
        services.AddHttpClient(WebhookSender.ClientName).AddFetchGuard();
        services.AddHostedService<WebhookSender>();
        return services;
    }
}
