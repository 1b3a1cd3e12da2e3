using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Reelgate.Common;

namespace Reelgate.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="StorageOptions"/> (section <c>Storage</c>, plus flat variables such as <c>STORAGE_PROVIDER</c>,
    /// <c>S3_BUCKET</c> or <c>GCS_ACL</c>), the link signer, <see cref="StorageTransfer"/> (needs <c>AddFetch</c>) and the
    /// object store chosen by <c>Storage:Provider</c>: <c>local</c> or <c>s3</c>.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ConfigAliases.Apply(configuration);
        var section = configuration.GetSection(StorageOptions.Section);
        services.AddOptions<StorageOptions>().Bind(section);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new LinkSigner(SigningKeyFile.Resolve(provider.GetRequiredService<IOptions<StorageOptions>>().Value)));
        services.TryAddTransient<StorageTransfer>();
        services.TryAddSingleton<OwnLinks>();

        var providerName = section["Provider"];
        if (string.IsNullOrEmpty(providerName) || providerName.Equals("local", StringComparison.OrdinalIgnoreCase))
        {
            services.TryAddSingleton<LocalObjectStore>();
            services.TryAddSingleton<IObjectStore>(provider => provider.GetRequiredService<LocalObjectStore>());
        }
        else if (providerName.Equals("s3", StringComparison.OrdinalIgnoreCase))
        {
            services.TryAddSingleton<S3ObjectStore>();
            services.TryAddSingleton<IObjectStore>(provider => provider.GetRequiredService<S3ObjectStore>());
        }
        else
        {
            throw new ConfigurationException($"Storage provider '{providerName}' is not available; use 'local' or 's3'.");
        }
        return services;
    }
}
