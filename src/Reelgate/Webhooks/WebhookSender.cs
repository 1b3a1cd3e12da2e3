using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Reelgate.Common;
using Reelgate.Data;
using Reelgate.Fetch;
using Reelgate.Jobs;

namespace Reelgate.Webhooks;

/// <summary>
/// Delivers owed webhooks through the fetch guard, signed per Standard Webhooks, recording every attempt. The job
/// object is built at each attempt rather than stored with the event: a job's final state does not change, and
/// building it late keeps its signed output links valid for their full lifetime from the moment they arrive.
/// </summary>
public sealed class WebhookSender(
    WebhookOutbox outbox,
    JobStore jobs,
    JobViews views,
    IHttpClientFactory clients,
    Notifications notifications,
    DatabaseAvailability database,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    ILogger<WebhookSender> logger) : OutboxSender<DueDelivery>(notifications, database, logger)
{
    public const string ClientName = "webhooks";

    protected override int BatchSize => options.Value.BatchSize;

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.SenderEnabled ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    protected override Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(int limit, CancellationToken ct) =>
        outbox.ClaimDueAsync(limit, options.Value.Timeout + TimeSpan.FromSeconds(30), ct);

    protected override async Task DeliverAsync(DueDelivery delivery, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = (object?)delivery.JobId ?? "none", ["WebhookId"] = delivery.Id });
        var body = delivery.Payload is { } stored ? System.Text.Encoding.UTF8.GetBytes(stored) : await JobBodyAsync(delivery, stoppingToken);
        if (body is null)
        {
            logger.LogWarning("Webhook {Event} for job {JobId} abandoned: the job is missing or not final", delivery.Event, delivery.JobId);
            await outbox.RecordAsync(delivery, null, DeliveryOutcome.Abandoned, TimeSpan.Zero, settings.RetryWindow, "the job is missing or not final", CancellationToken.None);
            return;
        }

        using var request = Sign(delivery, body);
        var attempt = await OutboundPost.SendAsync(clients.CreateClient(ClientName), request, settings.Timeout, stoppingToken);
        var error = attempt.Error ?? (attempt.StatusCode is >= 200 and < 300 ? null : $"answered {attempt.StatusCode}");
        var logged = attempt with { Error = error };

        if (error is null)
        {
            logger.LogInformation("Webhook {Event} for job {JobId} delivered on attempt {Attempt} ({StatusCode})", delivery.Event, delivery.JobId, delivery.Attempts, attempt.StatusCode);
            await outbox.RecordAsync(delivery, logged, DeliveryOutcome.Delivered, TimeSpan.Zero, settings.RetryWindow, null, CancellationToken.None);
        }
        else if (attempt.StatusCode == StatusCodes.Status410Gone)
        {
            logger.LogWarning("Webhook endpoint of user {UserId} answered 410 Gone; disabling it", delivery.UserId);
            await outbox.RecordAsync(delivery, logged, DeliveryOutcome.Gone, TimeSpan.Zero, settings.RetryWindow,
                "the endpoint answered 410 Gone and was disabled", CancellationToken.None);
        }
        else
        {
            var wait = settings.BackoffAfter(delivery.Attempts, Random.Shared.NextDouble());
            var state = await outbox.RecordAsync(delivery, logged, DeliveryOutcome.Retry, wait, settings.RetryWindow, null, CancellationToken.None);
            if (state == "pending")
            {
                logger.LogInformation("Webhook {Event} for job {JobId} attempt {Attempt} failed ({Error}); retrying in {Wait}", delivery.Event, delivery.JobId, delivery.Attempts, error, wait);
            }
            else
            {
                logger.LogWarning("Webhook {Event} for job {JobId} abandoned after {Attempt} attempts: {Error}", delivery.Event, delivery.JobId, delivery.Attempts, error);
            }
        }
    }

    private async Task<byte[]?> JobBodyAsync(DueDelivery delivery, CancellationToken ct)
    {
        var job = delivery.JobId is { } jobId ? await jobs.GetAsync(jobId, delivery.UserId, ct) : null;
        if (job is null || !JobStatus.IsFinal(job.Status)) return null;
        var view = await views.BuildAsync(job, withEvents: true, ct);
        return JsonSerializer.SerializeToUtf8Bytes(new WebhookPayload(delivery.Event, delivery.CreatedAt, view), Json.Options);
    }

    private HttpRequestMessage Sign(DueDelivery delivery, byte[] body)
    {
        var id = delivery.Id.ToString();
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(delivery.Secret, id, timestamp, body));
        return request;
    }
}
