using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Reelgate.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="StorageOptions"/> (section <c>Storage</c>, plus the flat <c>STORAGE_PROVIDER</c> and
    /// <c>STORAGE_PATH_PREFIX</c> variables), the link signer and the object store chosen by <c>Storage:Provider</c>.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(StorageOptions.Section);
        services.AddOptions<StorageOptions>()
            .Bind(section)
            .PostConfigure(options =>
            {
                if (section["Provider"] is null && configuration["STORAGE_PROVIDER"] is { Length: > 0 } provider)
                {
                    options.Provider = provider;
                }
                if (section["PathPrefix"] is null && configuration["STORAGE_PATH_PREFIX"] is { Length: > 0 } prefix)
                {
                    options.PathPrefix = prefix;
                }
            });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new LinkSigner(SigningKeyFile.Resolve(provider.GetRequiredService<IOptions<StorageOptions>>().Value)));

        var providerName = section["Provider"] ?? configuration["STORAGE_PROVIDER"];
        if (!string.IsNullOrEmpty(providerName) && !providerName.Equals("local", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Storage provider '{providerName}' is not available; use 'local'.");
        }
        services.TryAddSingleton<LocalObjectStore>();
        services.TryAddSingleton<IObjectStore>(provider => provider.GetRequiredService<LocalObjectStore>());
        return services;
    }
}
