using Microsoft.Extensions.Options;

namespace Reelgate.Rendering;

public static class RenderingServiceCollectionExtensions
{
    /// <summary>Registers the ffmpeg runner, the media probe, <see cref="RenderingOptions"/> and the <see cref="RenderLimits"/> they imply.</summary>
    public static IServiceCollection AddRendering(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RenderingOptions>(configuration.GetSection(RenderingOptions.Section));
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<RenderingOptions>>().Value.ToLimits());
        services.AddSingleton<ToolRunner>();
        services.AddSingleton<FfmpegRunner>();
        services.AddSingleton<MediaProbe>();
        services.AddSingleton<ChromiumPool>();
        services.AddSingleton<ClipRasterizer>();
        return services;
    }
}
