using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Reelgate.Tests.Billing;

/// <summary>One request the fake received: its path, form fields and the headers Stripe cares about.</summary>
internal sealed record StripeRequest(string Path, IReadOnlyDictionary<string, string> Form, string? IdempotencyKey, string? StripeVersion, string? Authorization);

/// <summary>
/// A stand-in for api.stripe.com on 127.0.0.1: answers customers, Checkout Sessions and portal sessions with
/// Stripe-shaped JSON (replaying the first answer for a repeated Idempotency-Key, as Stripe does), records every
/// request, and builds signed events about what it created for posting to the app's webhook.
/// </summary>
internal sealed class FakeStripe : IAsyncDisposable
{
    public const string SecretKey = "sk_test_reelgate_fake";
    public const string WebhookSecret = "whsec_reelgate_fake_endpoint";
    public const string StarterPrice = "price_starter_test";
    public const string CreatorPrice = "price_creator_test";
    /// <summary>The API version this fake renders events in: Stripe.net 53's.</summary>
    public const string ApiVersion = "2026-10-28.endive";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _replies = new();
    private readonly ConcurrentDictionary<string, JsonObject> _sessions = new();
    private readonly ConcurrentDictionary<string, (long Amount, long Refunded)> _charges = new();
    // Ids stay unique across fakes that share one test database.
    private readonly string _instance = Guid.NewGuid().ToString("N")[..8];
    private int _sequence;

    private FakeStripe(WebApplication app) => _app = app;

    public ConcurrentQueue<StripeRequest> Requests { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>When set, Checkout Session requests answer this status with a Stripe error body.</summary>
    public int? RejectCheckoutWith { get; set; }

    /// <summary>How many of the next requests answer 500 api_error, as Stripe does when it fails on its side.</summary>
    public int FailNext;

    public static async Task<FakeStripe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeStripe(builder.Build());
        fake._app.MapPost("/v1/customers", context => fake.AnswerAsync(context, form => fake.Customer(form)));
        fake._app.MapPost("/v1/checkout/sessions", context => fake.AnswerAsync(context, form => fake.Session(form)));
        fake._app.MapPost("/v1/billing_portal/sessions", context => fake.AnswerAsync(context, form => fake.Portal(form)));
        fake._app.MapPost("/v1/refunds", context => fake.AnswerAsync(context, form => fake.Refund(form)));
        await fake._app.StartAsync();
        fake.BaseAddress = new Uri(fake._app.Urls.Single());
        return fake;
    }

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Stripe:SecretKey"] = SecretKey,
        ["Stripe:WebhookSecret"] = WebhookSecret,
        ["Stripe:ApiBase"] = BaseAddress.ToString(),
        ["Billing:Plans:starter:StripePriceId"] = StarterPrice,
        ["Billing:Plans:creator:StripePriceId"] = CreatorPrice,
    };

    public IReadOnlyList<StripeRequest> RequestsTo(string path) => Requests.Where(r => r.Path == path).ToList();

    private string NextId(string prefix) => $"{prefix}_test_{_instance}{Interlocked.Increment(ref _sequence):D6}";

    private async Task AnswerAsync(HttpContext context, Func<IReadOnlyDictionary<string, string>, (int Status, JsonObject Body)> answer)
    {
        var form = (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        Requests.Enqueue(new StripeRequest(context.Request.Path, form, key.Length > 0 ? key : null,
            context.Request.Headers["Stripe-Version"].ToString(), context.Request.Headers.Authorization.ToString()));
        context.Response.ContentType = "application/json";
        context.Response.Headers["Request-Id"] = NextId("req");
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync(Error("invalid_request_error", null, "Invalid API Key provided."));
            return;
        }
        if (key.Length > 0 && _replies.TryGetValue($"{context.Request.Path}|{key}", out var replay))
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
            await context.Response.WriteAsync(replay);
            return;
        }
        if (Interlocked.Decrement(ref FailNext) >= 0)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync(Error("api_error", null, "An unknown error occurred"));
            return;
        }
        Interlocked.Exchange(ref FailNext, 0);
        var (status, body) = answer(form);
        context.Response.StatusCode = status;
        var json = body.ToJsonString();
        if (status < 300 && key.Length > 0) _replies[$"{context.Request.Path}|{key}"] = json;
        await context.Response.WriteAsync(json);
    }

    private (int, JsonObject) Customer(IReadOnlyDictionary<string, string> form) => (200, new JsonObject
    {
        ["id"] = NextId("cus"),
        ["object"] = "customer",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["email"] = form.GetValueOrDefault("email"),
        ["livemode"] = false,
        ["metadata"] = Metadata(form, "metadata"),
    });

    private (int, JsonObject) Session(IReadOnlyDictionary<string, string> form)
    {
        if (RejectCheckoutWith is { } status)
        {
            return (status, JsonNode.Parse(Error("invalid_request_error", "resource_missing", "No such price."))!.AsObject());
        }
        var id = NextId("cs");
        var pack = form.GetValueOrDefault("mode") == "payment";
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["mode"] = form.GetValueOrDefault("mode"),
            ["url"] = $"https://checkout.stripe.com/c/pay/{id}",
            ["status"] = "open",
            ["payment_status"] = "unpaid",
            ["client_reference_id"] = form.GetValueOrDefault("client_reference_id"),
            ["customer"] = form.GetValueOrDefault("customer"),
            ["customer_email"] = form.GetValueOrDefault("customer_email"),
            ["currency"] = pack ? form.GetValueOrDefault("line_items[0][price_data][currency]") : "usd",
            ["amount_total"] = pack ? long.Parse(form["line_items[0][price_data][unit_amount]"], CultureInfo.InvariantCulture) : 1000,
            ["metadata"] = Metadata(form, "metadata"),
            ["subscription_metadata"] = Metadata(form, "subscription_data[metadata]"),
            ["payment_intent"] = null,
            ["subscription"] = null,
            ["success_url"] = form.GetValueOrDefault("success_url"),
            ["cancel_url"] = form.GetValueOrDefault("cancel_url"),
            ["expires_at"] = DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds(),
        };
        _sessions[id] = session;
        var reply = (JsonObject)session.DeepClone();
        reply.Remove("subscription_metadata");
        return (200, reply);
    }

    private (int, JsonObject) Portal(IReadOnlyDictionary<string, string> form)
    {
        var id = NextId("bps");
        return (200, new JsonObject
        {
            ["id"] = id,
            ["object"] = "billing_portal.session",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["customer"] = form.GetValueOrDefault("customer"),
            ["return_url"] = form.GetValueOrDefault("return_url"),
            ["url"] = $"https://billing.stripe.com/p/session/{id}",
        });
    }

    private static JsonObject Metadata(IReadOnlyDictionary<string, string> form, string prefix)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in form)
        {
            if (key.StartsWith(prefix + "[", StringComparison.Ordinal) && key.EndsWith(']')) metadata[key[(prefix.Length + 1)..^1]] = value;
        }
        return metadata;
    }

    private static string Error(string type, string? code, string message, string? param = null) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["type"] = type,
            ["code"] = code,
            ["message"] = message,
            ["param"] = param,
            ["doc_url"] = code is null ? null : $"https://docs.stripe.com/error-codes/{code.Replace('_', '-')}",
        },
    }.ToJsonString();

    private static (int, JsonObject) Refusal(string? code, string message, string param) =>
        (400, JsonNode.Parse(Error("invalid_request_error", code, message, param))!.AsObject());

    private (int, JsonObject) Refund(IReadOnlyDictionary<string, string> form)
    {
        var paymentIntent = form.GetValueOrDefault("payment_intent") ?? "";
        if (!_charges.TryGetValue(paymentIntent, out var charge))
        {
            return Refusal("resource_missing", $"No such payment_intent: '{paymentIntent}'", "payment_intent");
        }
        var remaining = charge.Amount - charge.Refunded;
        if (remaining == 0) return Refusal("charge_already_refunded", $"Charge ch_for_{paymentIntent} has already been refunded.", "charge");
        var amount = form.TryGetValue("amount", out var text) ? long.Parse(text, CultureInfo.InvariantCulture) : remaining;
        if (amount > remaining)
        {
            return Refusal(null, string.Create(CultureInfo.InvariantCulture,
                $"Refund amount (${amount / 100m:0.00}) is greater than unrefunded amount on charge (${remaining / 100m:0.00})"), "amount");
        }
        _charges[paymentIntent] = (charge.Amount, charge.Refunded + amount);
        return (200, new JsonObject
        {
            ["id"] = NextId("re"),
            ["object"] = "refund",
            ["amount"] = amount,
            ["balance_transaction"] = NextId("txn"),
            ["charge"] = $"ch_for_{paymentIntent}",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["currency"] = "usd",
            ["metadata"] = Metadata(form, "metadata"),
            ["payment_intent"] = paymentIntent,
            ["reason"] = form.GetValueOrDefault("reason"),
            ["receipt_number"] = null,
            ["source_transfer_reversal"] = null,
            ["status"] = "succeeded",
            ["transfer_reversal"] = null,
        });
    }

    /// <summary>The charge of a paid session as Stripe reports it in charge.refunded, with every refund made so far.</summary>
    public JsonObject ChargeWithRefunds(string paymentIntentId)
    {
        var (amount, refunded) = _charges[paymentIntentId];
        return RefundedCharge(paymentIntentId, amount, refunded);
    }

    /// <summary>The session as Stripe reports it once completed: paid now, or unpaid while a delayed method settles.</summary>
    public JsonObject CompletedSession(string sessionId, string paymentStatus = "paid")
    {
        var session = (JsonObject)_sessions[sessionId].DeepClone();
        session.Remove("subscription_metadata");
        session["status"] = "complete";
        session["payment_status"] = paymentStatus;
        session["url"] = null;
        if ((string?)session["mode"] == "payment")
        {
            session["payment_intent"] = $"pi_for_{sessionId}";
            if (paymentStatus == "paid") _charges.TryAdd($"pi_for_{sessionId}", ((long)session["amount_total"]!, 0));
        }
        else session["subscription"] = $"sub_for_{sessionId}";
        return session;
    }

    public string PaymentIntentOf(string sessionId) => $"pi_for_{sessionId}";

    public string SubscriptionOf(string sessionId) => $"sub_for_{sessionId}";

    /// <summary>A paid subscription invoice in the current API shape (subscription under parent.subscription_details).</summary>
    public JsonObject PaidInvoice(string sessionId, string priceId, DateTimeOffset created, string billingReason = "subscription_cycle")
    {
        var session = _sessions[sessionId];
        return new JsonObject
        {
            ["id"] = NextId("in"),
            ["object"] = "invoice",
            ["customer"] = (string?)session["customer"],
            ["status"] = "paid",
            ["billing_reason"] = billingReason,
            ["amount_paid"] = 1000,
            ["currency"] = "usd",
            ["created"] = created.ToUnixTimeSeconds(),
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["subscription_details"] = new JsonObject
                {
                    ["subscription"] = SubscriptionOf(sessionId),
                    ["metadata"] = session["subscription_metadata"]!.DeepClone(),
                },
            },
            ["lines"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["object"] = "line_item",
                    ["amount"] = 1000,
                    ["pricing"] = new JsonObject { ["type"] = "price_details", ["price_details"] = new JsonObject { ["price"] = priceId, ["product"] = "prod_test" } },
                }),
            },
        };
    }

    public JsonObject Subscription(string sessionId, string priceId, string status, DateTimeOffset? endedAt = null)
    {
        var session = _sessions[sessionId];
        return new JsonObject
        {
            ["id"] = SubscriptionOf(sessionId),
            ["object"] = "subscription",
            ["customer"] = (string?)session["customer"],
            ["status"] = status,
            ["cancel_at_period_end"] = false,
            ["ended_at"] = endedAt?.ToUnixTimeSeconds(),
            ["canceled_at"] = endedAt?.ToUnixTimeSeconds(),
            ["metadata"] = session["subscription_metadata"]!.DeepClone(),
            ["items"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject { ["object"] = "subscription_item", ["price"] = new JsonObject { ["id"] = priceId, ["object"] = "price" } }),
            },
        };
    }

    public JsonObject RefundedCharge(string paymentIntentId, long amount, long amountRefunded) => new()
    {
        ["id"] = $"ch_for_{paymentIntentId}",
        ["object"] = "charge",
        ["payment_intent"] = paymentIntentId,
        ["amount"] = amount,
        ["amount_refunded"] = amountRefunded,
        ["refunded"] = amountRefunded == amount,
        ["currency"] = "usd",
    };

    public string Event(string type, JsonObject dataObject, DateTimeOffset? created = null, string? apiVersion = null) => new JsonObject
    {
        ["id"] = NextId("evt"),
        ["object"] = "event",
        ["api_version"] = apiVersion ?? ApiVersion,
        ["created"] = (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["type"] = type,
        ["data"] = new JsonObject { ["object"] = dataObject.DeepClone() },
    }.ToJsonString();

    /// <summary>Posts an event to the app's webhook as Stripe would, signed with the shared secret unless told otherwise.</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient app, string json, DateTimeOffset? signedAt = null, string secret = WebhookSecret, string? body = null)
    {
        var timestamp = (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var content = new StringContent(body ?? json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = content };
        request.Headers.Add("Stripe-Signature", SignatureHeader(secret, timestamp, json));
        return app.SendAsync(request);
    }

    /// <summary>Stripe's scheme: t=unix,v1=hex HMAC-SHA256 of "{t}.{body}" keyed with the whole secret's UTF-8 bytes.</summary>
    public static string SignatureHeader(string secret, long timestamp, string json)
    {
        var signed = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{timestamp}.{json}"));
        var v1 = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={v1}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
