using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Reelgate.Common;

namespace Reelgate.Billing;

/// <summary><c>POST /webhooks/stripe</c>: verify the signature over the raw body, then store and process the event once.</summary>
public static class StripeWebhookEndpoint
{
    public sealed record WebhookReceived(bool Received, string Outcome);

    public static async Task<Results<Ok<WebhookReceived>, ProblemHttpResult>> HandleAsync(
        HttpRequest request, IOptions<StripeOptions> options, StripeEventProcessor processor, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(StripeWebhookEndpoint));
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();

        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.WebhookSecret))
        {
            logger.LogWarning("A Stripe webhook arrived but no webhook secret is configured (STRIPE_WEBHOOK_SECRET); refused");
            return Refuse("This server does not accept Stripe webhooks.");
        }
        var check = StripeSignature.Verify(request.Headers["Stripe-Signature"].ToString(), body, settings.WebhookSecret, time.GetUtcNow(), settings.WebhookTolerance);
        if (check != StripeSignatureCheck.Valid)
        {
            logger.LogWarning("Stripe webhook refused: signature {Check}", check);
            return Refuse(check switch
            {
                StripeSignatureCheck.OutsideTolerance => "The signature's timestamp is outside the tolerance.",
                StripeSignatureCheck.Mismatch => "No v1 signature matches the payload.",
                StripeSignatureCheck.NoSignature => "The Stripe-Signature header has no v1 signature.",
                _ => "The Stripe-Signature header is missing or malformed.",
            });
        }
        if (StripeEvent.Parse(body) is not { } stripeEvent)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "stripe-event-invalid", "Invalid Stripe event.", "The body is not a Stripe event.");
        }
        var outcome = await processor.ProcessAsync(stripeEvent, Encoding.UTF8.GetString(body), ct);
        return TypedResults.Ok(new WebhookReceived(true, outcome.ToString().ToLowerInvariant()));
    }

    private static ProblemHttpResult Refuse(string detail) =>
        Problems.Create(StatusCodes.Status400BadRequest, "stripe-signature-invalid", "Invalid Stripe signature.", detail);
}
