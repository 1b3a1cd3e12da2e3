using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Reelgate.Common;
using Stripe;

namespace Reelgate.Billing;

/// <summary>
/// <c>POST /webhooks/stripe</c>: verify the signature over the raw body with Stripe.net, then store and process the event once.
/// An event of another API release than Stripe.net's (<see cref="StripeConfiguration.ApiVersion"/>; the date may differ) is
/// refused with 400 and logged as an error, not read: its objects may have other shapes, and a payment misread is worse than
/// one delayed. Stripe retries it for three days while the endpoint is recreated at our version.
/// </summary>
public static class StripeWebhookEndpoint
{
    public sealed record WebhookReceived(bool Received, string Outcome);

    public static async Task<Results<Ok<WebhookReceived>, ProblemHttpResult>> HandleAsync(
        HttpRequest request, IOptions<StripeOptions> options, StripeEventProcessor processor, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(StripeWebhookEndpoint));
        using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
        string json;
        try
        {
            json = await reader.ReadToEndAsync(ct);
        }
        catch (DecoderFallbackException)
        {
            return Refuse("stripe-event-invalid", "Invalid Stripe event.", "The body is not UTF-8.");
        }

        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.WebhookSecret))
        {
            logger.LogWarning("A Stripe webhook arrived but no webhook secret is configured (STRIPE_WEBHOOK_SECRET); refused");
            return Refuse("stripe-signature-invalid", "Invalid Stripe signature.", "This server does not accept Stripe webhooks.");
        }
        var header = request.Headers["Stripe-Signature"].ToString();
        if (header.Length == 0) return Refuse("stripe-signature-invalid", "Invalid Stripe signature.", "The Stripe-Signature header is missing.");
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(json, header, settings.WebhookSecret, (long)settings.WebhookTolerance.TotalSeconds,
                time.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (Exception ex) when (ex is StripeException or FormatException or OverflowException)
        {
            logger.LogWarning("Stripe webhook refused: {Reason}", ex.Message);
            return Refuse("stripe-signature-invalid", "Invalid Stripe signature.", ex is StripeException ? ex.Message : "The Stripe-Signature header is malformed.");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException)
        {
            return Refuse("stripe-event-invalid", "Invalid Stripe event.", "The body is not a Stripe event.");
        }
        if (stripeEvent.ApiVersion is not { } apiVersion || !EventUtility.IsCompatibleApiVersion(apiVersion))
        {
            logger.LogError("Stripe event {StripeEventId} refused: it is in API version {EventApiVersion} and this server reads {ApiVersion}; "
                + "create the webhook endpoint with that API version", stripeEvent.Id, stripeEvent.ApiVersion, StripeConfiguration.ApiVersion);
            return Refuse("stripe-api-version-mismatch", "Stripe event in another API version.",
                $"This server reads events of Stripe API version {StripeConfiguration.ApiVersion} and its release; set the webhook endpoint's API version to it.");
        }
        if (string.IsNullOrEmpty(stripeEvent.Id) || string.IsNullOrEmpty(stripeEvent.Type))
        {
            return Refuse("stripe-event-invalid", "Invalid Stripe event.", "The event has no id or type.");
        }
        var outcome = await processor.ProcessAsync(stripeEvent, json, ct);
        return TypedResults.Ok(new WebhookReceived(true, outcome.ToString().ToLowerInvariant()));
    }

    private static ProblemHttpResult Refuse(string slug, string title, string detail) =>
        Problems.Create(StatusCodes.Status400BadRequest, slug, title, detail);
}
