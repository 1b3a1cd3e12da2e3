using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Reelgate.Common;
using Reelgate.Data;
using Reelgate.Fetch;

namespace Reelgate.Shotstack;

/// <summary>
/// Delivers owed Shotstack callbacks: claims due rows, POSTs the payload through the fetch guard, and records
/// every attempt until delivered or out of attempts.
/// </summary>
public sealed class ShotstackCallbackSender(
    ShotstackCallbackStore store,
    IServiceScopeFactory scopes,
    IHttpClientFactory clients,
    Notifications notifications,
    DatabaseAvailability database,
    IOptions<ShotstackCallbackOptions> options,
    ILogger<ShotstackCallbackSender> logger) : OutboxSender<DueCallback>(notifications, database, logger)
{
    public const string ClientName = "shotstack-callbacks";

    protected override int BatchSize => options.Value.BatchSize;

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    protected override Task<IReadOnlyList<DueCallback>> ClaimDueAsync(int limit, CancellationToken ct) =>
        store.ClaimDueAsync(limit, options.Value.Timeout + TimeSpan.FromSeconds(30), ct);

    protected override async Task DeliverAsync(DueCallback callback, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = callback.JobId });
        await using var services = scopes.CreateAsyncScope();
        var payload = await services.ServiceProvider.GetRequiredService<ShotstackRenders>().CallbackPayloadAsync(callback.JobId, stoppingToken);
        if (payload is null)
        {
            logger.LogWarning("Callback for job {JobId} dropped: the job is missing or not final", callback.JobId);
            await store.RecordAsync(callback, null, "job missing or not final", TimeSpan.Zero, "failed", TimeSpan.Zero, stoppingToken);
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, callback.Url) { Content = JsonContent.Create(payload, options: Json.Options) };
        var attempt = await OutboundPost.SendAsync(clients.CreateClient(ClientName), request, settings.Timeout, stoppingToken);
        var error = attempt.Error ?? (attempt.StatusCode is < 200 or >= 400 ? $"answered {attempt.StatusCode}" : null);

        if (error is null)
        {
            logger.LogInformation("Callback for job {JobId} delivered on attempt {Attempt} ({StatusCode})", callback.JobId, callback.Attempts, attempt.StatusCode);
            await store.RecordAsync(callback, attempt.StatusCode, null, attempt.Elapsed, "delivered", TimeSpan.Zero, CancellationToken.None);
        }
        else if (callback.Attempts >= settings.MaxAttempts)
        {
            logger.LogWarning("Callback for job {JobId} abandoned after {Attempt} attempts: {Error}", callback.JobId, callback.Attempts, error);
            await store.RecordAsync(callback, attempt.StatusCode, error, attempt.Elapsed, "failed", TimeSpan.Zero, CancellationToken.None);
        }
        else
        {
            var wait = settings.BackoffAfter(callback.Attempts, Random.Shared.NextDouble());
            logger.LogInformation("Callback for job {JobId} attempt {Attempt} failed ({Error}); retrying in {Wait}", callback.JobId, callback.Attempts, error, wait);
            await store.RecordAsync(callback, attempt.StatusCode, error, attempt.Elapsed, "pending", wait, CancellationToken.None);
        }
    }
}
