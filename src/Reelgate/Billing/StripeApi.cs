using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace Reelgate.Billing;

/// <summary>What a Stripe call came to: the object, a refusal with Stripe's reason, or no answer after the retries.</summary>
public abstract record StripeResult<T>
{
    public sealed record Ok(T Value) : StripeResult<T>;
    public sealed record Rejected(int Status, string? Type, string? Code, string Message) : StripeResult<T>;
    public sealed record Failed(string Reason) : StripeResult<T>;

    public string Describe() => this switch
    {
        Rejected r => $"Stripe refused the request ({r.Status} {r.Type}): {r.Message}",
        Failed f => f.Reason,
        _ => "Stripe accepted the request.",
    };
}

/// <summary>
/// Stripe's API through Stripe.net, at <c>Stripe:ApiBase</c>. Stripe.net pins the Stripe-Version its types describe and
/// retries connection errors, 409 and 5xx (honouring Stripe-Should-Retry) with the Idempotency-Key given here on every try.
/// </summary>
public sealed class StripeApi(IHttpClientFactory httpClients, IOptions<StripeOptions> options)
{
    public const string HttpClientName = "Stripe";

    public Task<StripeResult<Customer>> CreateCustomerAsync(Guid userId, string email, CancellationToken ct) =>
        CallAsync(client => client.V1.Customers.CreateAsync(
            new CustomerCreateOptions { Email = email, Metadata = new() { ["user_id"] = userId.ToString() } },
            Keyed($"customer:{userId}"), ct), ct);

    public Task<StripeResult<Session>> CreateCheckoutSessionAsync(SessionCreateOptions session, Guid paymentId, CancellationToken ct) =>
        CallAsync(client => client.V1.Checkout.Sessions.CreateAsync(session, Keyed($"checkout:{paymentId}"), ct), ct);

    public Task<StripeResult<Stripe.BillingPortal.Session>> CreatePortalSessionAsync(string customerId, string returnUrl, CancellationToken ct) =>
        CallAsync(client => client.V1.BillingPortal.Sessions.CreateAsync(
            new Stripe.BillingPortal.SessionCreateOptions { Customer = customerId, ReturnUrl = returnUrl },
            Keyed($"portal:{Guid.NewGuid()}"), ct), ct);

    /// <summary>Refunds part or all of a payment intent; the same key makes a repeated request one refund.</summary>
    public Task<StripeResult<Refund>> CreateRefundAsync(string paymentIntentId, long amount, string idempotencyKey, Dictionary<string, string> metadata, CancellationToken ct) =>
        CallAsync(client => client.V1.Refunds.CreateAsync(
            new RefundCreateOptions { PaymentIntent = paymentIntentId, Amount = amount, Reason = "requested_by_customer", Metadata = metadata },
            Keyed(idempotencyKey), ct), ct);

    private static RequestOptions Keyed(string idempotencyKey) => new() { IdempotencyKey = idempotencyKey };

    private async Task<StripeResult<T>> CallAsync<T>(Func<StripeClient, Task<T>> call, CancellationToken ct)
    {
        var settings = options.Value;
        var client = new StripeClient(new StripeClientOptions
        {
            ApiKey = settings.SecretKey,
            ApiBase = settings.ApiBase.TrimEnd('/'),
            HttpClient = new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), Math.Max(0, settings.MaxAttempts - 1), enableTelemetry: false),
        });
        try
        {
            return new StripeResult<T>.Ok(await call(client));
        }
        catch (StripeException ex)
        {
            return new StripeResult<T>.Rejected((int)ex.HttpStatusCode, ex.StripeError?.Type, ex.StripeError?.Code,
                ex.StripeError?.Message ?? ex.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return new StripeResult<T>.Failed($"Stripe could not be reached: {ex.Message}");
        }
    }
}
