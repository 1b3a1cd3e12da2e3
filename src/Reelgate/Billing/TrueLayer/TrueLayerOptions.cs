namespace Reelgate.Billing.TrueLayer;

/// <summary>
/// Section <c>TrueLayer</c> (env TRUELAYER_CLIENT_ID, TRUELAYER_CLIENT_SECRET, TRUELAYER_SIGNING_KEY_ID,
/// TRUELAYER_SIGNING_PRIVATE_KEY, TRUELAYER_MERCHANT_ACCOUNT_ID, TRUELAYER_ENVIRONMENT, TRUELAYER_CURRENCY).
/// The environment picks TrueLayer's documented hosts; the *Base settings override them one by one.
/// </summary>
public sealed class TrueLayerOptions
{
    public const string Section = "TrueLayer";
    public const string SandboxEnvironment = "sandbox";
    public const string LiveEnvironment = "live";

    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? SigningKeyId { get; set; }
    /// <summary>The P-521 private key, PEM (EC PRIVATE KEY or PKCS#8), whose public half is uploaded to TrueLayer's Console.</summary>
    public string? SigningPrivateKey { get; set; }
    public string? MerchantAccountId { get; set; }
    public string Environment { get; set; } = SandboxEnvironment;
    /// <summary>The merchant account's currency, gbp or eur: a payment cannot go to an account in another currency.</summary>
    public string Currency { get; set; } = "gbp";

    public string? ApiBase { get; set; }
    public string? AuthBase { get; set; }
    public string? PaymentPageBase { get; set; }

    /// <summary>How old a webhook's X-Tl-Webhook-Timestamp may be (and how far ahead) before it is refused.</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>The least time between two JWKS fetches for unknown kids, so made-up kids cannot flood TrueLayer.</summary>
    public TimeSpan JwksMinRefetch { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How often the monthly scheduler looks for mandates with a payment due.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsLive => string.Equals(Environment, LiveEnvironment, StringComparison.OrdinalIgnoreCase);

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret) && !string.IsNullOrWhiteSpace(SigningKeyId)
        && !string.IsNullOrWhiteSpace(SigningPrivateKey) && !string.IsNullOrWhiteSpace(MerchantAccountId);

    public bool IsPartlyConfigured =>
        new[] { ClientId, ClientSecret, SigningKeyId, SigningPrivateKey, MerchantAccountId }.Any(v => !string.IsNullOrWhiteSpace(v));

    public Uri Api => new(ApiBase ?? (IsLive ? "https://api.truelayer.com" : "https://api.truelayer-sandbox.com"));
    public Uri Auth => new(AuthBase ?? (IsLive ? "https://auth.truelayer.com" : "https://auth.truelayer-sandbox.com"));
    public string PaymentPage => (PaymentPageBase ?? (IsLive ? "https://payment.truelayer.com" : "https://payment.truelayer-sandbox.com")).TrimEnd('/');

    /// <summary>The only two jku values TrueLayer signs webhooks with.</summary>
    public static readonly IReadOnlyList<string> DocumentedJwksUrls =
    [
        "https://webhooks.truelayer.com/.well-known/jwks",
        "https://webhooks.truelayer-sandbox.com/.well-known/jwks",
    ];
}

/// <summary>The jku values webhooks may name. Production uses the documented two; tests replace this service, never configuration.</summary>
public class TrueLayerJwksAllowlist
{
    public virtual IReadOnlyList<string> Urls => TrueLayerOptions.DocumentedJwksUrls;

    public bool Allows(string? jku) => jku is not null && Urls.Contains(jku, StringComparer.Ordinal);
}
