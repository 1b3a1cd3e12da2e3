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
        ("PUBLIC_BASE_URL", "App:PublicBaseUrl"),
        ("STRIPE_SECRET_KEY", "Stripe:SecretKey"),
        ("STRIPE_WEBHOOK_SECRET", "Stripe:WebhookSecret"),
        ("STRIPE_PRICE_STARTER", "Billing:Plans:starter:StripePriceId"),
        ("STRIPE_PRICE_CREATOR", "Billing:Plans:creator:StripePriceId"),
        ("STRIPE_PRICE_STUDIO", "Billing:Plans:studio:StripePriceId"),
        ("BILLING_ALLOW_SANDBOX", "Billing:AllowSandbox"),
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
