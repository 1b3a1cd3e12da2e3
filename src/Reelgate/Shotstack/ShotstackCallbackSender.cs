using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Reelgate.Common;
using Reelgate.Data;

namespace Reelgate.Shotstack;

/// <summary>
/// Delivers owed Shotstack callbacks: wakes when a job ends (its final NOTIFY) or on the poll interval, claims due
/// rows, POSTs the payload through the fetch guard, and records every attempt until delivered or out of attempts.
/// </summary>
public sealed class ShotstackCallbackSender(
    ShotstackCallbackStore store,
    IServiceScopeFactory scopes,
    IHttpClientFactory clients,
    Notifications notifications,
    IOptions<ShotstackCallbackOptions> options,
    ILogger<ShotstackCallbackSender> logger) : BackgroundService
{
    public const string ClientName = "shotstack-callbacks";
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        notifications.Subscribe(Channels.Jobs, payload =>
        {
            if (payload.StartsWith("final:", StringComparison.Ordinal) || payload.StartsWith("cancel:", StringComparison.Ordinal)) Wake();
        });
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await store.ClaimDueAsync(settings.BatchSize, settings.Timeout + TimeSpan.FromSeconds(30), stoppingToken);
                await Task.WhenAll(due.Select(callback => DeliverAsync(callback, settings, stoppingToken)));
                if (due.Count == settings.BatchSize) continue;
                await _wake.WaitAsync(settings.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Shotstack callback loop error");
                try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    private void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { }
    }

    private async Task DeliverAsync(DueCallback callback, ShotstackCallbackOptions settings, CancellationToken stoppingToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = callback.JobId });
        await using var services = scopes.CreateAsyncScope();
        var payload = await services.ServiceProvider.GetRequiredService<ShotstackRenders>().CallbackPayloadAsync(callback.JobId, stoppingToken);
        if (payload is null)
        {
            logger.LogWarning("Callback for job {JobId} dropped: the job is missing or not final", callback.JobId);
            await store.RecordAsync(callback, null, "job missing or not final", TimeSpan.Zero, "failed", TimeSpan.Zero, stoppingToken);
            return;
        }

        int? statusCode = null;
        string? error = null;
        var clock = Stopwatch.StartNew();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            timeout.CancelAfter(settings.Timeout);
            try
            {
                using var response = await clients.CreateClient(ClientName).PostAsJsonAsync(callback.Url, payload, Json.Options, timeout.Token);
                statusCode = (int)response.StatusCode;
                if (statusCode is < 200 or >= 400) error = $"answered {statusCode}";
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                error = $"no response within {settings.Timeout.TotalSeconds:0.#} s";
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Recorded as a failed attempt, so a callback that always throws still runs out of attempts.
                error = ex.InnerException?.Message ?? ex.Message;
            }
        }
        clock.Stop();

        if (error is null)
        {
            logger.LogInformation("Callback for job {JobId} delivered on attempt {Attempt} ({StatusCode})", callback.JobId, callback.Attempts, statusCode);
            await store.RecordAsync(callback, statusCode, null, clock.Elapsed, "delivered", TimeSpan.Zero, CancellationToken.None);
        }
        else if (callback.Attempts >= settings.MaxAttempts)
        {
            logger.LogWarning("Callback for job {JobId} abandoned after {Attempt} attempts: {Error}", callback.JobId, callback.Attempts, error);
            await store.RecordAsync(callback, statusCode, error, clock.Elapsed, "failed", TimeSpan.Zero, CancellationToken.None);
        }
        else
        {
            var wait = settings.BackoffAfter(callback.Attempts, Random.Shared.NextDouble());
            logger.LogInformation("Callback for job {JobId} attempt {Attempt} failed ({Error}); retrying in {Wait}", callback.JobId, callback.Attempts, error, wait);
            await store.RecordAsync(callback, statusCode, error, clock.Elapsed, "pending", wait, CancellationToken.None);
        }
    }
}
