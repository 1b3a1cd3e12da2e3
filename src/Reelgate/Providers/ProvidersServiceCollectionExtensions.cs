using Microsoft.Extensions.Options;
using Reelgate.Common;
using Reelgate.Generation;
using Reelgate.Jobs;
using Reelgate.Providers.RunPod;
using Reelgate.Providers.Runway;
using Reelgate.Providers.Shotstack;

namespace Reelgate.Providers;

public static class ProvidersServiceCollectionExtensions
{
    /// <summary>
    /// Registers the upstream adapters (sections Providers:Shotstack, Providers:RunPod, Providers:Runway; the flat env
    /// names such as SHOTSTACK_API_KEY or RUNPOD_ENDPOINT_ID are in <see cref="ConfigAliases"/>),
    /// the provider job runner and the callback handling. Needs AddFetch, AddStorage and AddRendering; safe to call twice.
    /// </summary>
    public static IServiceCollection AddProviders(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(ProviderCallbacks))) return services;
        ConfigAliases.Apply(configuration);
        services.AddOptions<ProvidersOptions>().Bind(configuration.GetSection(ProvidersOptions.Section)).PostConfigure(o =>
        {
            if (o.PublicBaseUrl.Length == 0) o.PublicBaseUrl = configuration["App:PublicBaseUrl"] ?? configuration["Storage:PublicBaseUrl"] ?? "";
        });
        AddUpstream<ShotstackProvider, ShotstackProviderOptions>(services, configuration, ShotstackProvider.ProviderName, ShotstackProviderOptions.Section);
        AddUpstream<RunPodProvider, RunPodOptions>(services, configuration, RunPodProvider.ProviderName, RunPodOptions.Section);
        AddUpstream<RunwayProvider, RunwayOptions>(services, configuration, RunwayProvider.ProviderName, RunwayOptions.Section);
        services.AddSingleton<JobUpstream>();
        services.AddSingleton<ProviderCallbacks>();
        services.AddScoped<ProviderOutputs>();
        services.AddScoped<ProviderJobRunner>();
        return services;
    }

    /// <summary>Registers the generation endpoint's services, image uploads, options (section Generation) and the local motion generator.</summary>
    public static IServiceCollection AddGeneration(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(GenerationSubmission))) return services;
        services.AddOptions<GenerationOptions>().Bind(configuration.GetSection(GenerationOptions.Section));
        services.AddSingleton<GenerationSubmission>();
        services.AddSingleton<ImageUploads>();
        services.AddScoped<LocalGenerationRunner>();
        return services;
    }

    private static void AddUpstream<TAdapter, TOptions>(
        IServiceCollection services, IConfiguration configuration, string name, string section)
        where TAdapter : class, IProviderAdapter
        where TOptions : ProviderHttpOptions
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section));
        // Each attempt has its own deadline under Polly, so HttpClient's own 100 s limit is lifted.
        services.AddHttpClient(name, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<TAdapter>();
        services.AddSingleton<IProviderAdapter>(sp => sp.GetRequiredService<TAdapter>());
    }
}
