using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Reelgate.Billing;

/// <summary>What a Stripe call came to: the object, a refusal with Stripe's reason, or a failure after retries.</summary>
public abstract record StripeResult
{
    public sealed record Ok(JsonElement Body) : StripeResult;
    public sealed record Rejected(int Status, string? Type, string? Code, string Message) : StripeResult;
    public sealed record Failed(string Reason) : StripeResult;
}

/// <summary>
/// Stripe's REST API over a typed HttpClient: form bodies, the pinned Stripe-Version, an Idempotency-Key on every
/// POST (the same key on each retry), retries on connection errors, 409 and 5xx unless Stripe-Should-Retry says no.
/// </summary>
public sealed class StripeClient(HttpClient http, IOptions<StripeOptions> options, ILogger<StripeClient> logger)
{
    public Task<StripeResult> CreateCustomerAsync(Guid userId, string email, CancellationToken ct) =>
        PostAsync("v1/customers", new StripeForm()
            .Add("email", email)
            .Metadata("metadata", new Dictionary<string, string> { ["user_id"] = userId.ToString() }), $"customer:{userId}", ct);

    public Task<StripeResult> CreateCheckoutSessionAsync(StripeForm form, Guid paymentId, CancellationToken ct) =>
        PostAsync("v1/checkout/sessions", form, $"checkout:{paymentId}", ct);

    public Task<StripeResult> CreatePortalSessionAsync(string customerId, string returnUrl, CancellationToken ct) =>
        PostAsync("v1/billing_portal/sessions", new StripeForm().Add("customer", customerId).Add("return_url", returnUrl),
            $"portal:{Guid.NewGuid()}", ct);

    public async Task<StripeResult> PostAsync(string path, StripeForm form, string idempotencyKey, CancellationToken ct)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = form.ToContent() };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.SecretKey);
            request.Headers.Add("Stripe-Version", settings.ApiVersion);
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            string failure;
            try
            {
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                if (response.IsSuccessStatusCode) return new StripeResult.Ok(JsonDocument.Parse(body).RootElement.Clone());
                var shouldRetry = response.Headers.TryGetValues("Stripe-Should-Retry", out var values) ? values.FirstOrDefault() : null;
                var retryable = shouldRetry == "true" || (shouldRetry != "false" && (response.StatusCode == HttpStatusCode.Conflict || (int)response.StatusCode >= 500));
                if (!retryable || attempt >= settings.MaxAttempts) return Rejection((int)response.StatusCode, body);
                failure = $"answered {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
            {
                if (attempt >= settings.MaxAttempts) return new StripeResult.Failed($"Stripe could not be reached: {ex.Message}");
                failure = ex.Message;
            }
            logger.LogWarning("Stripe {Path} attempt {Attempt} failed ({Failure}); retrying", path, attempt, failure);
            await Task.Delay(TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1)), ct);
        }
    }

    private static StripeResult Rejection(int status, string body)
    {
        try
        {
            var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
            return new StripeResult.Rejected(status, error.Text("type"), error.Text("code"), error.Text("message") ?? $"Stripe answered {status}.");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new StripeResult.Rejected(status, null, null, $"Stripe answered {status}.");
        }
    }
}
