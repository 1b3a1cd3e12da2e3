namespace Reelgate.Usage;

public static class UsageServiceCollectionExtensions
{
    public static IServiceCollection AddUsage(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<UsageOptions>(configuration.GetSection(UsageOptions.Section));
        services.AddSingleton<RequestCounter>();
        services.AddHostedService(sp => sp.GetRequiredService<RequestCounter>());
        services.AddSingleton<UsageReports>();
        services.AddSingleton<AdminDirectory>();
        return services;
    }
}
