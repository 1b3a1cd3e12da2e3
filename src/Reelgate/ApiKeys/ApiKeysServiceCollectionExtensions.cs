namespace Reelgate.ApiKeys;

public static class ApiKeysServiceCollectionExtensions
{
    /// <summary>Key storage, the per-process key cache, cross-instance auth change announcements and last-use tracking.</summary>
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<AuthChanges>();
        services.AddSingleton<LastUsedTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<LastUsedTracker>());
        return services;
    }
}
