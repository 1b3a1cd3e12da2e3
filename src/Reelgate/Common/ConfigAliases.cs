namespace Reelgate.Common;

/// <summary>Plain environment names operators set, mapped onto configuration keys unless the key is set itself.</summary>
public static class ConfigAliases
{
    private static readonly (string Alias, string Key)[] Map =
    [
        ("RATE_LIMIT_REQUESTS", "RateLimit:Requests"),
        ("RATE_LIMIT_WINDOW", "RateLimit:WindowSeconds"),
        ("RATE_LIMIT_FAIL_CLOSED", "RateLimit:FailClosed"),
        ("MAX_CONCURRENT_JOBS", "Jobs:MaxActivePerUser"),
        ("STORAGE_PROVIDER", "Storage:Provider"),
        ("STORAGE_PATH_PREFIX", "Storage:PathPrefix"),
        ("GCS_PATH_PREFIX", "Storage:PathPrefix"),
        ("STORAGE_PUBLIC_BASE_URL", "Storage:PublicBaseUrl"),
        ("STORAGE_RETENTION_HOURS", "Storage:RetentionHours"),
        ("PUBLIC_BASE_URL", "App:PublicBaseUrl"),
    ];

    public static void Apply(IConfiguration configuration)
    {
        foreach (var (alias, key) in Map)
        {
            var value = configuration[alias];
            if (!string.IsNullOrEmpty(value) && string.IsNullOrEmpty(configuration[key])) configuration[key] = value;
        }
    }
}
