using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Reelgate.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Flat variables operators set, each filling a key of the <c>Storage</c> section unless that key is set itself.</summary>
    private static readonly (string Key, string[] Names)[] FlatNames =
    [
        ("Provider", ["STORAGE_PROVIDER"]),
        ("PathPrefix", ["STORAGE_PATH_PREFIX", "GCS_PATH_PREFIX"]),
        ("RetentionHours", ["STORAGE_RETENTION_HOURS"]),
        ("S3:Endpoint", ["S3_ENDPOINT"]),
        ("S3:Region", ["S3_REGION"]),
        ("S3:Bucket", ["S3_BUCKET", "GCS_BUCKET"]),
        ("S3:AccessKeyId", ["S3_ACCESS_KEY_ID"]),
        ("S3:SecretAccessKey", ["S3_SECRET_ACCESS_KEY"]),
        ("S3:Acl", ["STORAGE_ACL", "GCS_ACL"]),
        ("S3:PublicBaseUrl", ["STORAGE_PUBLIC_BASE_URL"]),
    ];

    /// <summary>
    /// Registers <see cref="StorageOptions"/> (section <c>Storage</c>, plus flat variables such as <c>STORAGE_PROVIDER</c>,
    /// <c>S3_BUCKET</c> or <c>GCS_ACL</c>), the link signer, <see cref="StorageTransfer"/> (needs <c>AddFetch</c>) and the
    /// object store chosen by <c>Storage:Provider</c>: <c>local</c> or <c>s3</c>.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(StorageOptions.Section);
        services.AddOptions<StorageOptions>()
            .Bind(section)
            .PostConfigure(options => FlatSettings(section, configuration).Bind(options));
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new LinkSigner(SigningKeyFile.Resolve(provider.GetRequiredService<IOptions<StorageOptions>>().Value)));
        services.TryAddTransient<StorageTransfer>();

        var providerName = section["Provider"] ?? configuration["STORAGE_PROVIDER"];
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
            throw new InvalidOperationException($"Storage provider '{providerName}' is not available; use 'local' or 's3'.");
        }
        return services;
    }

    private static IConfiguration FlatSettings(IConfigurationSection section, IConfiguration configuration)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, names) in FlatNames)
        {
            if (section[key] is not null)
            {
                continue;
            }
            if (names.Select(name => configuration[name]).FirstOrDefault(value => !string.IsNullOrEmpty(value)) is { } value)
            {
                settings[key] = value;
            }
        }
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }
}
