namespace Reelgate.Common;

/// <summary>Plain environment names operators set, mapped onto configuration keys unless the key is set itself.</summary>
public static class ConfigAliases
{
    private static readonly (string Alias, string Key)[] Map =
    [
        ("RATE_LIMIT_REQUESTS", "RateLimit:Requests"),
        ("RATE_LIMIT_READ_REQUESTS", "RateLimit:ReadRequests"),
        ("RATE_LIMIT_WINDOW", "RateLimit:WindowSeconds"),
        ("RATE_LIMIT_FAIL_CLOSED", "RateLimit:FailClosed"),
        ("RATE_LIMIT_REGISTRATIONS", "RateLimit:Registration:Requests"),
        ("RATE_LIMIT_REGISTRATION_WINDOW", "RateLimit:Registration:WindowSeconds"),
        ("RATE_LIMIT_LOGINS", "RateLimit:Login:Requests"),
        ("RATE_LIMIT_LOGIN_WINDOW", "RateLimit:Login:WindowSeconds"),
        ("MAX_CONCURRENT_JOBS", "Jobs:MaxActivePerUser"),
        ("STORAGE_PROVIDER", "Storage:Provider"),
        ("STORAGE_PATH_PREFIX", "Storage:PathPrefix"),
        ("GCS_PATH_PREFIX", "Storage:PathPrefix"),
        ("STORAGE_RETENTION_HOURS", "Storage:RetentionHours"),
        ("S3_ENDPOINT", "Storage:S3:Endpoint"),
        ("S3_REGION", "Storage:S3:Region"),
        ("S3_BUCKET", "Storage:S3:Bucket"),
        ("GCS_BUCKET", "Storage:S3:Bucket"),
        ("S3_ACCESS_KEY_ID", "Storage:S3:AccessKeyId"),
        ("S3_SECRET_ACCESS_KEY", "Storage:S3:SecretAccessKey"),
        ("STORAGE_ACL", "Storage:S3:Acl"),
        ("GCS_ACL", "Storage:S3:Acl"),
        ("STORAGE_PUBLIC_BASE_URL", "Storage:S3:PublicBaseUrl"),
        ("PUBLIC_BASE_URL", "App:PublicBaseUrl"),
        ("SHOTSTACK_API_KEY", "Providers:Shotstack:ApiKey"),
        ("SHOTSTACK_API_URL", "Providers:Shotstack:BaseUrl"),
        ("RUNPOD_API_KEY", "Providers:RunPod:ApiKey"),
        ("RUNPOD_ENDPOINT_ID", "Providers:RunPod:EndpointId"),
        ("WEBHOOK_RUNPOD_SECRET", "Providers:RunPod:WebhookSecret"),
        ("RUNWAY_API_KEY", "Providers:Runway:ApiKey"),
        ("STRIPE_SECRET_KEY", "Stripe:SecretKey"),
        ("STRIPE_WEBHOOK_SECRET", "Stripe:WebhookSecret"),
        ("STRIPE_PRICE_STARTER", "Billing:Plans:starter:StripePriceId"),
        ("STRIPE_PRICE_CREATOR", "Billing:Plans:creator:StripePriceId"),
        ("STRIPE_PRICE_STUDIO", "Billing:Plans:studio:StripePriceId"),
        ("BILLING_ALLOW_SANDBOX", "Billing:AllowSandbox"),
        ("TRUELAYER_CLIENT_ID", "TrueLayer:ClientId"),
        ("TRUELAYER_CLIENT_SECRET", "TrueLayer:ClientSecret"),
        ("TRUELAYER_SIGNING_KEY_ID", "TrueLayer:SigningKeyId"),
        ("TRUELAYER_SIGNING_PRIVATE_KEY", "TrueLayer:SigningPrivateKey"),
        ("TRUELAYER_MERCHANT_ACCOUNT_ID", "TrueLayer:MerchantAccountId"),
        ("TRUELAYER_ENVIRONMENT", "TrueLayer:Environment"),
        ("TRUELAYER_CURRENCY", "TrueLayer:Currency"),
        ("GOOGLE_CLIENT_ID", "Auth:Google:ClientId"),
        ("GOOGLE_CLIENT_SECRET", "Auth:Google:ClientSecret"),
        ("CORS_ALLOWED_ORIGINS", "Cors:AllowedOrigins"),
    ];

    /// <summary>Idempotent; App applies it at start and modules that read aliased keys may apply it again.</summary>
    public static void Apply(IConfiguration configuration)
    {
        foreach (var (alias, key) in Map)
        {
            var value = configuration[alias];
            if (!string.IsNullOrEmpty(value) && string.IsNullOrEmpty(configuration[key])) configuration[key] = value;
        }
    }
}
