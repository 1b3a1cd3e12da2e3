using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Reelgate.Common;

namespace Reelgate.Billing.TrueLayer;

/// <summary>
/// <c>POST /webhooks/truelayer</c>: the Tl-Signature must name an allowed jku, sign X-Tl-Webhook-Timestamp and verify
/// with that JWKS's key over the method, path, signed headers and raw body; a timestamp outside the tolerance is
/// refused, so a captured delivery cannot be replayed later. Then the event is stored and processed once by event_id.
/// </summary>
public static class TrueLayerWebhookEndpoint
{
    public const string TimestampHeader = "X-Tl-Webhook-Timestamp";

    public sealed record WebhookReceived(bool Received, string Outcome);

    public static async Task<Results<Ok<WebhookReceived>, ProblemHttpResult>> HandleAsync(HttpRequest request, TrueLayerWebhookKeys keys,
        TrueLayerEventProcessor processor, IOptions<TrueLayerOptions> options, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(TrueLayerWebhookEndpoint));
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();

        var signature = request.Headers[TlSignature.HeaderName].ToString();
        var header = TlSignature.ReadHeader(signature);
        if (header is not { Jku: { } jku, Kid: { } kid })
        {
            return Unauthorized(logger, "the Tl-Signature header is missing or has no jku and kid.");
        }
        if (await keys.FindAsync(jku, kid, ct) is not { } parameters)
        {
            return Unauthorized(logger, $"the signing key is not one of TrueLayer's (jku {jku}, kid {kid}).");
        }
        using (var key = ECDsa.Create(parameters))
        {
            var path = $"{request.PathBase}{request.Path}";
            if (!TlSignature.Verify(key, signature, request.Method, path, name => request.Headers.TryGetValue(name, out var v) ? v.ToString() : null, body, TimestampHeader))
            {
                return Unauthorized(logger, "the signature does not match the request.");
            }
        }
        if (!DateTimeOffset.TryParse(request.Headers[TimestampHeader].ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sentAt)
            || (time.GetUtcNow() - sentAt).Duration() > options.Value.WebhookTolerance)
        {
            logger.LogWarning("TrueLayer webhook refused: its timestamp {Timestamp} is outside the tolerance", request.Headers[TimestampHeader].ToString());
            return Problems.Create(StatusCodes.Status400BadRequest, "truelayer-webhook-stale", "Stale TrueLayer webhook.",
                $"{TimestampHeader} must be within {options.Value.WebhookTolerance.TotalSeconds:0} seconds of now.");
        }

        JsonObject? payload;
        try
        {
            payload = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            payload = null;
        }
        if (payload?["event_id"]?.GetValueKind() != JsonValueKind.String || payload["type"]?.GetValueKind() != JsonValueKind.String)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "truelayer-event-invalid", "Invalid TrueLayer event.", "The body has no event_id or type.");
        }
        var outcome = await processor.ProcessAsync(payload, ct);
        return TypedResults.Ok(new WebhookReceived(true, outcome.ToString().ToLowerInvariant()));
    }

    private static ProblemHttpResult Unauthorized(ILogger logger, string reason)
    {
        logger.LogWarning("TrueLayer webhook refused: {Reason}", reason);
        return Problems.Create(StatusCodes.Status401Unauthorized, "truelayer-signature-invalid", "Invalid TrueLayer signature.", $"Refused: {reason}");
    }
}
