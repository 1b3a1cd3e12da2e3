using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Reelgate.Billing.TrueLayer;

namespace Reelgate.Tests.Billing.TrueLayer;

/// <summary>One signed POST the fake received, with whether our Tl-Signature verified.</summary>
internal sealed record TlRequest(string Path, JsonObject Body, string? IdempotencyKey, bool SignatureValid);

/// <summary>
/// A stand-in for TrueLayer on 127.0.0.1, one server for the auth, API and webhook-JWKS hosts: the client-credentials
/// token, single payments, commercial mandates, payments on a mandate, refunds and <c>/.well-known/jwks</c>. Every POST
/// to the API must carry a bearer token it issued and a Tl-Signature that verifies with our public key over the method,
/// path, Idempotency-Key and body, or it answers 401; a repeated Idempotency-Key replays the first answer. It signs the
/// webhooks it builds with its own P-521 key, published in its JWKS.
/// </summary>
internal sealed class FakeTrueLayer : IAsyncDisposable
{
    public const string ClientId = "reelgate-test-client";
    public const string ClientSecret = "reelgate-test-secret";
    public const string SigningKeyId = "5b2b0a5c-1f7e-4f0e-9d7e-2b1d0c3a9e11";
    public const string MerchantAccountId = "merchant-account-gbp-test";

    private readonly WebApplication _app;
    private readonly ECDsa _ourKey = ECDsa.Create(ECCurve.NamedCurves.nistP521);
    private ECDsa _webhookKey = ECDsa.Create(ECCurve.NamedCurves.nistP521);
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly ConcurrentDictionary<string, string> _replies = new();
    private readonly ConcurrentDictionary<string, JsonObject> _payments = new();
    private readonly ConcurrentDictionary<string, JsonObject> _mandates = new();
    private readonly object _gate = new();

    private FakeTrueLayer(WebApplication app) => _app = app;

    public ConcurrentQueue<TlRequest> Requests { get; } = new();
    public int TokensIssued;
    public Uri BaseAddress { get; private set; } = null!;
    public string WebhookKid { get; private set; } = Guid.NewGuid().ToString();
    public string JwksUrl => new Uri(BaseAddress, "/.well-known/jwks").ToString();

    /// <summary>When set, the next payment on a mandate is created failed with this reason, as a bank that declines it.</summary>
    public string? FailNextMandatePayment { get; set; }

    public static async Task<FakeTrueLayer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeTrueLayer(builder.Build());
        fake._app.MapPost("/connect/token", fake.TokenAsync);
        fake._app.MapPost("/v3/payments", context => fake.SignedAsync(context, fake.CreatePayment));
        fake._app.MapGet("/v3/payments/{id}", context => fake.ReadAsync(context, fake._payments));
        fake._app.MapPost("/v3/mandates", context => fake.SignedAsync(context, fake.CreateMandate));
        fake._app.MapGet("/v3/mandates/{id}", context => fake.ReadAsync(context, fake._mandates));
        fake._app.MapPost("/v3/mandates/{id}/revoke", context => fake.SignedAsync(context, body => fake.Revoke(context.Request.RouteValues["id"]!.ToString()!)));
        fake._app.MapPost("/v3/payments/{id}/refunds", context => fake.SignedAsync(context, body => fake.Refund(context.Request.RouteValues["id"]!.ToString()!, body)));
        fake._app.MapGet("/.well-known/jwks", fake.Jwks);
        await fake._app.StartAsync();
        fake.BaseAddress = new Uri(fake._app.Urls.Single());
        return fake;
    }

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["TrueLayer:ClientId"] = ClientId,
        ["TrueLayer:ClientSecret"] = ClientSecret,
        ["TrueLayer:SigningKeyId"] = SigningKeyId,
        ["TrueLayer:SigningPrivateKey"] = _ourKey.ExportECPrivateKeyPem(),
        ["TrueLayer:MerchantAccountId"] = MerchantAccountId,
        ["TrueLayer:Environment"] = "sandbox",
        ["TrueLayer:ApiBase"] = BaseAddress.ToString(),
        ["TrueLayer:AuthBase"] = BaseAddress.ToString(),
        ["TrueLayer:SchedulerInterval"] = "01:00:00",
    };

    public IReadOnlyList<TlRequest> PostsTo(string path) => Requests.Where(r => r.Path == path).ToList();

    public JsonObject Payment(string id) => _payments[id];

    /// <summary>The payments made on a mandate, in the order they were created.</summary>
    public IReadOnlyList<JsonObject> MandatePayments(string mandateId) =>
        _payments.Values.Where(p => p["payment_method"]?["mandate_id"]?.GetValue<string>() == mandateId).OrderBy(p => p["seq"]!.GetValue<int>()).ToList();

    private int _sequence;

    /// <summary>TrueLayer rotates its webhook key: new kid, new key, the JWKS serves only the new one.</summary>
    public void RotateWebhookKey()
    {
        _webhookKey = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        WebhookKid = Guid.NewGuid().ToString();
    }

    public void SetStatus(string paymentId, string status, string? failureReason = null)
    {
        _payments[paymentId]["status"] = status;
        if (failureReason is not null) _payments[paymentId]["failure_reason"] = failureReason;
    }

    /// <summary>
    /// A webhook request as TrueLayer sends it: the body, X-Tl-Webhook-Timestamp and a Tl-Signature over POST, the
    /// path, the timestamp and Content-Type headers and the body, with <paramref name="jku"/> (our JWKS by default).
    /// </summary>
    public HttpRequestMessage Webhook(JsonObject body, string path = "/webhooks/truelayer", string? jku = null, DateTimeOffset? timestamp = null, ECDsa? key = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var sentAt = (timestamp ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var signature = TlSignature.Sign(key ?? _webhookKey, WebhookKid, "POST", path,
            [new("X-Tl-Webhook-Timestamp", sentAt), new("Content-Type", "application/json")], bytes, jku ?? JwksUrl);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Tl-Webhook-Timestamp", sentAt);
        request.Headers.Add("Tl-Signature", signature);
        return request;
    }

    public static JsonObject Event(string type, JsonObject fields)
    {
        var body = new JsonObject { ["type"] = type, ["event_id"] = Guid.NewGuid().ToString(), ["event_version"] = 1 };
        foreach (var (name, value) in fields) body[name] = value?.DeepClone();
        return body;
    }

    public JsonObject PaymentEvent(string type, string paymentId, string? failureReason = null)
    {
        var payment = _payments[paymentId];
        var fields = new JsonObject
        {
            ["payment_id"] = paymentId,
            ["payment_method"] = payment["payment_method"]?.DeepClone(),
            ["metadata"] = payment["metadata"]?.DeepClone(),
        };
        if (type == "payment_settled") fields["settled_at"] = DateTimeOffset.UtcNow.ToString("O");
        if (type == "payment_failed")
        {
            fields["failed_at"] = DateTimeOffset.UtcNow.ToString("O");
            fields["failure_stage"] = "authorizing";
            fields["failure_reason"] = failureReason ?? "authorization_failed";
        }
        return Event(type, fields);
    }

    private async Task TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        context.Response.ContentType = "application/json";
        if (form["grant_type"] != "client_credentials" || form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("""{"error":"invalid_client"}""");
            return;
        }
        Interlocked.Increment(ref TokensIssued);
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _tokens[token] = form["scope"].ToString();
        await context.Response.WriteAsync(new JsonObject { ["access_token"] = token, ["expires_in"] = 3600, ["token_type"] = "Bearer", ["scope"] = form["scope"].ToString() }.ToJsonString());
    }

    private async Task SignedAsync(HttpContext context, Func<JsonObject, (int Status, JsonObject Body)> answer)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        var valid = TlSignature.Verify(_ourKey, context.Request.Headers["Tl-Signature"].ToString(), "POST", context.Request.Path,
            name => context.Request.Headers.TryGetValue(name, out var v) ? v.ToString() : null, bytes, "Idempotency-Key")
            && TlSignature.ReadHeader(context.Request.Headers["Tl-Signature"].ToString())?.Kid == SigningKeyId;
        var body = bytes.Length == 0 ? [] : JsonNode.Parse(bytes)!.AsObject();
        Requests.Enqueue(new TlRequest(context.Request.Path, body, key.Length > 0 ? key : null, valid));
        context.Response.ContentType = "application/json";
        var bearer = context.Request.Headers.Authorization.ToString();
        if (!bearer.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.ContainsKey(bearer["Bearer ".Length..]))
        {
            await Problem(context, 401, "Unauthorized", "Invalid access token.");
            return;
        }
        if (!valid)
        {
            await Problem(context, 401, "Invalid signature", "The Tl-Signature header does not verify.");
            return;
        }
        if (key.Length == 0)
        {
            await Problem(context, 400, "Missing Idempotency-Key", "Idempotency-Key is required.");
            return;
        }
        string json;
        lock (_gate)
        {
            if (!_replies.TryGetValue($"{context.Request.Path}|{key}", out json!))
            {
                var (status, reply) = answer(body);
                context.Response.StatusCode = status;
                json = reply.ToJsonString();
                if (status < 300) _replies[$"{context.Request.Path}|{key}"] = json;
            }
        }
        await context.Response.WriteAsync(json);
    }

    private (int, JsonObject) CreatePayment(JsonObject body)
    {
        var id = Guid.NewGuid().ToString();
        var method = body["payment_method"]!;
        var payment = (JsonObject)body.DeepClone();
        payment["id"] = id;
        payment["seq"] = Interlocked.Increment(ref _sequence);
        if (method["type"]?.GetValue<string>() == "mandate")
        {
            var mandateId = method["mandate_id"]!.GetValue<string>();
            if (!_mandates.TryGetValue(mandateId, out var mandate) || mandate["status"]!.GetValue<string>() != "authorized")
            {
                return (400, ProblemBody("Invalid mandate state", "The mandate is not authorized."));
            }
            var limit = mandate["constraints"]!["maximum_individual_amount"]!.GetValue<long>();
            if (body["amount_in_minor"]!.GetValue<long>() > limit) return (400, ProblemBody("Constraint violation", "The amount is above the mandate's limit."));
            payment["status"] = FailNextMandatePayment is null ? "authorized" : "failed";
            if (FailNextMandatePayment is { } reason) payment["failure_reason"] = reason;
            FailNextMandatePayment = null;
        }
        else
        {
            if (method["beneficiary"]?["merchant_account_id"]?.GetValue<string>() != MerchantAccountId) return (400, ProblemBody("Invalid beneficiary", "Unknown merchant account."));
            payment["status"] = "authorization_required";
        }
        _payments[id] = payment;
        return (201, new JsonObject
        {
            ["id"] = id, ["resource_token"] = $"rt-{id}", ["user"] = new JsonObject { ["id"] = Guid.NewGuid().ToString() },
            ["status"] = payment["status"]!.GetValue<string>(), ["failure_reason"] = payment["failure_reason"]?.DeepClone(),
        });
    }

    private (int, JsonObject) CreateMandate(JsonObject body)
    {
        if (body["mandate"]?["type"]?.GetValue<string>() != "commercial") return (400, ProblemBody("Invalid mandate", "Only commercial mandates here."));
        var id = Guid.NewGuid().ToString();
        var mandate = (JsonObject)body.DeepClone();
        mandate["id"] = id;
        mandate["status"] = "authorization_required";
        _mandates[id] = mandate;
        return (201, new JsonObject { ["id"] = id, ["resource_token"] = $"rt-{id}", ["user"] = new JsonObject { ["id"] = Guid.NewGuid().ToString() } });
    }

    public JsonObject Mandate(string id) => _mandates[id];

    public void Authorize(string mandateId) => _mandates[mandateId]["status"] = "authorized";

    private (int, JsonObject) Revoke(string mandateId)
    {
        if (!_mandates.TryGetValue(mandateId, out var mandate)) return (404, ProblemBody("Not found", "No such mandate."));
        mandate["status"] = "revoked";
        return (202, []);
    }

    private (int, JsonObject) Refund(string paymentId, JsonObject body)
    {
        if (!_payments.TryGetValue(paymentId, out var payment) || payment["status"]!.GetValue<string>() != "settled")
        {
            return (400, ProblemBody("Payment not settled", "Only settled payments into a merchant account can be refunded."));
        }
        var amount = body["amount_in_minor"]?.GetValue<long>() ?? payment["amount_in_minor"]!.GetValue<long>();
        var refunds = payment["refunds"] as JsonArray ?? [];
        var refunded = refunds.Sum(r => r!["amount_in_minor"]!.GetValue<long>());
        if (refunded + amount > payment["amount_in_minor"]!.GetValue<long>()) return (400, ProblemBody("Refund too large", "Refunds exceed the payment."));
        var id = Guid.NewGuid().ToString();
        refunds.Add(new JsonObject { ["id"] = id, ["amount_in_minor"] = amount });
        payment["refunds"] = refunds;
        return (201, new JsonObject { ["id"] = id });
    }

    /// <summary>The bank returned the refund: it no longer counts against the payment.</summary>
    public void FailRefund(string paymentId, string refundId)
    {
        var refunds = (JsonArray)_payments[paymentId]["refunds"]!;
        refunds.Remove(refunds.First(r => r!["id"]!.GetValue<string>() == refundId));
    }

    private async Task ReadAsync(HttpContext context, ConcurrentDictionary<string, JsonObject> store)
    {
        context.Response.ContentType = "application/json";
        var bearer = context.Request.Headers.Authorization.ToString();
        if (!bearer.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.ContainsKey(bearer["Bearer ".Length..]))
        {
            await Problem(context, 401, "Unauthorized", "Invalid access token.");
            return;
        }
        if (!store.TryGetValue(context.Request.RouteValues["id"]!.ToString()!, out var found))
        {
            await Problem(context, 404, "Not found", "No such resource.");
            return;
        }
        await context.Response.WriteAsync(found.ToJsonString());
    }

    private IResult Jwks()
    {
        var parameters = _webhookKey.ExportParameters(false);
        var key = new JsonObject
        {
            ["kty"] = "EC", ["alg"] = "ES512", ["kid"] = WebhookKid, ["crv"] = "P-521",
            ["x"] = Base64Url.EncodeToString(parameters.Q.X), ["y"] = Base64Url.EncodeToString(parameters.Q.Y),
        };
        return Results.Text(new JsonObject { ["keys"] = new JsonArray(key) }.ToJsonString(), "application/json");
    }

    private static JsonObject ProblemBody(string title, string detail) =>
        new() { ["type"] = "https://docs.truelayer.com/docs/error-types", ["title"] = title, ["status"] = 400, ["detail"] = detail, ["trace_id"] = Guid.NewGuid().ToString() };

    private static async Task Problem(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var body = ProblemBody(title, detail);
        body["status"] = status;
        await context.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _ourKey.Dispose();
        _webhookKey.Dispose();
    }
}

/// <summary>The test-only jku allowlist: the fake's JWKS instead of TrueLayer's two hosts.</summary>
internal sealed class TestJwksAllowlist(string url) : TrueLayerJwksAllowlist
{
    public override IReadOnlyList<string> Urls => [url];
}
