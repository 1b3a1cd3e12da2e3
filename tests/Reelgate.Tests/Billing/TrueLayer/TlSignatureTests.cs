using System.Security.Cryptography;
using System.Text;
using Reelgate.Billing.TrueLayer;

namespace Reelgate.Tests.Billing.TrueLayer;

/// <summary>Our Tl-Signature signer and verifier against TrueLayer's published test vectors (Vectors/README.md).</summary>
public sealed class TlSignatureTests
{
    private const string Kid = "45fc75cf-5649-4134-84b3-192c2c78e990";
    private const string RequestPath = "/merchant_accounts/a61acaef-ee05-4077-92f3-25543a11bd8d/sweeping";
    private const string IdempotencyKey = "idemp-2076717c-9005-4811-a321-9e0787fa0382";
    private const string RequestBody = """{"currency":"GBP","max_amount_in_minor":5000000,"name":"Foo???"}""";
    private const string WebhookBody = """{"event_type":"example","event_id":"18b2842b-a57b-4887-a0a6-d3c7c36f1020"}""";

    private static string Vector(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Billing", "TrueLayer", "Vectors", name)).Trim();

    private static ECDsa PublicKey()
    {
        var key = ECDsa.Create();
        key.ImportFromPem(Vector("ec512-public.pem"));
        return key;
    }

    private static Func<string, string?> Headers(params (string Name, string Value)[] headers) =>
        name => headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    private static bool VerifyRequest(string method = "POST", string path = RequestPath, string key = IdempotencyKey, string body = RequestBody) =>
        TlSignature.Verify(PublicKey(), Vector("tl-signature.txt"), method, path, Headers(("Idempotency-Key", key)), Encoding.UTF8.GetBytes(body), "Idempotency-Key");

    private static bool VerifyWebhook(string path = "/tl-webhook", string timestamp = "2021-11-29T11:42:55Z", string contentType = "application/json", string body = WebhookBody) =>
        TlSignature.Verify(PublicKey(), Vector("webhook-signature.txt"), "POST", path,
            Headers(("X-Tl-webhook-Timestamp", timestamp), ("Content-Type", contentType), ("X-Unsigned", "anything")), Encoding.UTF8.GetBytes(body),
            "X-Tl-Webhook-Timestamp");

    [Fact]
    public void Verify_AcceptsThePublishedRequestSignature() => Assert.True(VerifyRequest());

    [Fact]
    public void Verify_AcceptsThePublishedRequestSignature_WithTheTrailingSlashToggled() => Assert.True(VerifyRequest(path: RequestPath + "/"));

    [Theory]
    [InlineData("PUT", RequestPath, IdempotencyKey, RequestBody)]
    [InlineData("POST", "/merchant_accounts/a61acaef-ee05-4077-92f3-25543a11bd8d/sweepin", IdempotencyKey, RequestBody)]
    [InlineData("POST", RequestPath, "idemp-2076717c-9005-4811-a321-9e0787fa0383", RequestBody)]
    [InlineData("POST", RequestPath, IdempotencyKey, """{"currency":"GBP","max_amount_in_minor":5000001,"name":"Foo???"}""")]
    [InlineData("POST", RequestPath, IdempotencyKey, """{"currency":"GBP", "max_amount_in_minor":5000000,"name":"Foo???"}""")]
    public void Verify_RejectsTheRequestSignature_WhenAnySignedPartChanges(string method, string path, string key, string body) =>
        Assert.False(VerifyRequest(method, path, key, body));

    [Fact]
    public void Verify_RejectsTheRequestSignature_WhenTheSignedHeaderIsMissing() =>
        Assert.False(TlSignature.Verify(PublicKey(), Vector("tl-signature.txt"), "POST", RequestPath, Headers(), Encoding.UTF8.GetBytes(RequestBody)));

    [Fact]
    public void Verify_AcceptsThePublishedWebhookSignature() => Assert.True(VerifyWebhook());

    [Fact]
    public void ReadHeader_GivesThePublishedWebhookJkuAndKid()
    {
        var header = TlSignature.ReadHeader(Vector("webhook-signature.txt"));

        Assert.Equal("https://webhooks.truelayer.com/.well-known/jwks", header?.Jku);
        Assert.Equal(Kid, header?.Kid);
        Assert.Equal(["X-Tl-Webhook-Timestamp", "Content-Type"], header?.TlHeaders);
    }

    [Theory]
    [InlineData("/tl-webhook2", "2021-11-29T11:42:55Z", "application/json", WebhookBody)]
    [InlineData("/tl-webhook", "2021-11-29T11:42:56Z", "application/json", WebhookBody)]
    [InlineData("/tl-webhook", "2021-11-29T11:42:55Z", "text/plain", WebhookBody)]
    [InlineData("/tl-webhook", "2021-11-29T11:42:55Z", "application/json", """{"event_type":"example","event_id":"18b2842b-a57b-4887-a0a6-d3c7c36f1021"}""")]
    public void Verify_RejectsTheWebhookSignature_WhenAnySignedPartChanges(string path, string timestamp, string contentType, string body) =>
        Assert.False(VerifyWebhook(path, timestamp, contentType, body));

    [Fact]
    public void Verify_RejectsTheWebhookSignature_WhenTheMethodChanges() =>
        Assert.False(TlSignature.Verify(PublicKey(), Vector("webhook-signature.txt"), "PUT", "/tl-webhook",
            Headers(("X-Tl-Webhook-Timestamp", "2021-11-29T11:42:55Z"), ("Content-Type", "application/json")), Encoding.UTF8.GetBytes(WebhookBody)));

    [Fact]
    public void Verify_RejectsASignatureThatDoesNotSignARequiredHeader() =>
        Assert.False(TlSignature.Verify(PublicKey(), Vector("tl-signature.txt"), "POST", RequestPath, Headers(("Idempotency-Key", IdempotencyKey)),
            Encoding.UTF8.GetBytes(RequestBody), "X-Tl-Webhook-Timestamp"));

    [Fact]
    public void Sign_ProducesASignatureThePublishedPublicKeyVerifies()
    {
        using var privateKey = ECDsa.Create();
        privateKey.ImportFromPem(Vector("ec512-private.pem"));
        var body = Encoding.UTF8.GetBytes("""{"amount_in_minor":1000,"currency":"GBP"}""");

        var signature = TlSignature.Sign(privateKey, Kid, "post", "/v3/payments", [new("Idempotency-Key", "k-1")], body);

        Assert.Equal(Kid, TlSignature.ReadHeader(signature)?.Kid);
        Assert.True(TlSignature.Verify(PublicKey(), signature, "POST", "/v3/payments", Headers(("idempotency-key", "k-1")), body, "Idempotency-Key"));
        Assert.False(TlSignature.Verify(PublicKey(), signature, "POST", "/v3/payments", Headers(("Idempotency-Key", "k-2")), body, "Idempotency-Key"));
    }

    [Fact]
    public void Jwks_GivesTheP521KeyThatVerifiesThePublishedWebhookSignature()
    {
        var keys = TlJwks.Parse(Vector("jwks.json"));
        using var key = ECDsa.Create(keys[Kid]);

        Assert.Single(keys);
        Assert.True(TlSignature.Verify(key, Vector("webhook-signature.txt"), "POST", "/tl-webhook",
            Headers(("X-Tl-Webhook-Timestamp", "2021-11-29T11:42:55Z"), ("Content-Type", "application/json")), Encoding.UTF8.GetBytes(WebhookBody)));
    }
}
