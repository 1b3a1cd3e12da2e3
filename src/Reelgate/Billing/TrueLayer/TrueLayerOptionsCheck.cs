using System.Security.Cryptography;

namespace Reelgate.Billing.TrueLayer;

/// <summary>Why TrueLayer settings cannot work, named by their environment variables; empty when they can.</summary>
public static class TrueLayerOptionsCheck
{
    public static IEnumerable<string> Failures(TrueLayerOptions options)
    {
        foreach (var (value, name) in new[]
        {
            (options.ClientId, "TRUELAYER_CLIENT_ID (TrueLayer:ClientId)"), (options.ClientSecret, "TRUELAYER_CLIENT_SECRET (TrueLayer:ClientSecret)"),
            (options.SigningKeyId, "TRUELAYER_SIGNING_KEY_ID (TrueLayer:SigningKeyId)"),
            (options.SigningPrivateKey, "TRUELAYER_SIGNING_PRIVATE_KEY (TrueLayer:SigningPrivateKey)"),
            (options.MerchantAccountId, "TRUELAYER_MERCHANT_ACCOUNT_ID (TrueLayer:MerchantAccountId)"),
        })
        {
            if (string.IsNullOrWhiteSpace(value)) yield return $"{name} is required for pay by bank.";
        }
        if (!options.Environment.Equals(TrueLayerOptions.SandboxEnvironment, StringComparison.OrdinalIgnoreCase) && !options.IsLive)
        {
            yield return $"TRUELAYER_ENVIRONMENT is '{options.Environment}'; use sandbox or live.";
        }
        if (options.Currency.ToLowerInvariant() is not ("gbp" or "eur")) yield return $"TRUELAYER_CURRENCY is '{options.Currency}'; use gbp or eur.";
        if (!string.IsNullOrWhiteSpace(options.SigningPrivateKey) && !IsP521Key(options.SigningPrivateKey))
        {
            yield return "TRUELAYER_SIGNING_PRIVATE_KEY is not a PEM P-521 (secp521r1) private key; TrueLayer signs with ES512 only.";
        }
    }

    private static bool IsP521Key(string pem)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(pem.Replace("\\n", "\n", StringComparison.Ordinal));
            return key.KeySize == 521;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            return false;
        }
    }
}
