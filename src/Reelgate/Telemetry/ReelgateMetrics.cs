using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Reelgate.Telemetry;

/// <summary>The <c>reelgate.*</c> instruments. They cost next to nothing while no exporter listens.</summary>
public static class ReelgateMetrics
{
    public static readonly Meter Meter = new(ReelgateTelemetry.Name);

    private static readonly Counter<long> JobsFinished = Meter.CreateCounter<long>("reelgate.jobs.finished", "{job}",
        "Jobs that reached a final status, by kind, provider and status.");

    internal static readonly Histogram<double> PhaseDuration = Meter.CreateHistogram<double>("reelgate.job.phase.duration", "s",
        "Time a job spent in one step, by phase, kind and provider.");

    private static readonly Histogram<double> UpstreamDuration = Meter.CreateHistogram<double>("reelgate.upstream.request.duration", "s",
        "Requests to a provider's API, by provider and outcome.");

    private static readonly Counter<long> UpstreamErrors = Meter.CreateCounter<long>("reelgate.upstream.errors", "{request}",
        "Provider requests that failed (no answer, 429 or 5xx), by provider and error type.");

    private static readonly Counter<double> CreditsHeld = Meter.CreateCounter<double>("reelgate.credits.held", "{credit}", "Credits held for admitted jobs.");
    private static readonly Counter<double> CreditsCaptured = Meter.CreateCounter<double>("reelgate.credits.captured", "{credit}", "Held credits charged when jobs ended.");
    private static readonly Counter<double> CreditsReleased = Meter.CreateCounter<double>("reelgate.credits.released", "{credit}", "Held credits given back when jobs ended.");

    private static readonly Counter<long> RateLimitRejections = Meter.CreateCounter<long>("reelgate.ratelimit.rejections", "{request}",
        "Requests refused by a rate limit, by limit.");

    private static readonly Counter<long> WebhookDeliveries = Meter.CreateCounter<long>("reelgate.webhooks.deliveries", "{attempt}",
        "Webhook delivery attempts to users' endpoints, by outcome.");

    public static void JobFinished(string kind, string provider, string status) =>
        JobsFinished.Add(1, new TagList { { "job.kind", kind }, { "job.provider", provider }, { "job.status", status } });

    public static void Held(decimal credits) => CreditsHeld.Add((double)credits);

    public static void Settled(decimal captured, decimal released)
    {
        CreditsCaptured.Add((double)captured);
        CreditsReleased.Add((double)released);
    }

    public static void UpstreamRequest(string provider, TimeSpan elapsed, int? status, string? error)
    {
        var outcome = error ?? (status is { } code ? $"{code / 100}xx" : "none");
        UpstreamDuration.Record(elapsed.TotalSeconds, new TagList { { "upstream.provider", provider }, { "upstream.outcome", outcome } });
        if (error is not null || status is 429 or >= 500)
        {
            UpstreamErrors.Add(1, new TagList { { "upstream.provider", provider }, { "error.type", error ?? status!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        }
    }

    public static void RateLimited(string limit) => RateLimitRejections.Add(1, new KeyValuePair<string, object?>("ratelimit.limit", limit));

    public static void WebhookDelivery(string outcome) => WebhookDeliveries.Add(1, new KeyValuePair<string, object?>("webhook.outcome", outcome));
}
