using System.Net;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Reelgate.Telemetry;

namespace Reelgate.Providers;

/// <summary>
/// Sends upstream requests under Polly: a timeout per attempt and retries with exponential backoff and jitter.
/// Reads (and cancels) retry on 5xx, 429, timeouts and network errors. Submits are not idempotent upstream, so they
/// retry only answers that say nothing was created (5xx, 429) and connections that never opened; a submit that timed
/// out is reported as <see cref="ProviderResult.Transient.MayHaveAccepted"/> instead of being sent twice.
/// </summary>
public sealed class UpstreamHttp(IHttpClientFactory clients, string clientName, ProviderHttpOptions options, ILogger logger)
{
    private readonly ResiliencePipeline<HttpResponseMessage> _reads = Build(options, idempotent: true, logger);
    private readonly ResiliencePipeline<HttpResponseMessage> _submits = Build(options, idempotent: false, logger);

    /// <summary>The final response (the caller disposes it), or the transient failure that ended the retries.</summary>
    /// <param name="beforeBody">Asked just before the body is sent (see <see cref="GatedContent"/>); false withdraws the request.</param>
    public async Task<(HttpResponseMessage? Response, ProviderResult.Transient? Failure)> SendAsync(
        Func<HttpRequestMessage> request, bool idempotent, CancellationToken ct, Func<CancellationToken, Task<bool>>? beforeBody = null)
    {
        try
        {
            var pipeline = idempotent ? _reads : _submits;
            var response = await pipeline.ExecuteAsync(async token =>
            {
                var message = request();
                if (beforeBody is not null && message.Content is { } content) message.Content = await GatedContent.CreateAsync(content, beforeBody, token);
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    var answer = await clients.CreateClient(clientName).SendAsync(message, HttpCompletionOption.ResponseContentRead, token);
                    ReelgateMetrics.UpstreamRequest(clientName, System.Diagnostics.Stopwatch.GetElapsedTime(started), (int)answer.StatusCode, null);
                    return answer;
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                {
                    ReelgateMetrics.UpstreamRequest(clientName, System.Diagnostics.Stopwatch.GetElapsedTime(started), null, ex is HttpRequestException ? "connection" : "timeout");
                    throw;
                }
            }, ct);
            return (response, null);
        }
        catch (TimeoutRejectedException ex)
        {
            return (null, new ProviderResult.Transient($"no answer within {options.AttemptTimeout.TotalSeconds:0.#} s", MayHaveAccepted: !idempotent && !IsBeforeSend(ex)));
        }
        catch (HttpRequestException ex)
        {
            return (null, new ProviderResult.Transient($"could not reach the upstream: {ex.Message}", MayHaveAccepted: !idempotent && !IsBeforeSend(ex)));
        }
    }

    /// <summary>Turns a non-success answer into the closed result: 429 and 5xx are transient, other 4xx are rejections.</summary>
    public static async Task<ProviderResult> ClassifyFailureAsync(HttpResponseMessage response, CancellationToken ct, params string[] reasonPaths)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(ct);
        var reason = $"{status} {response.ReasonPhrase}: {Reason(body, reasonPaths)}".TrimEnd(' ', ':');
        if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
        {
            return new ProviderResult.Transient(reason, RetryAfter(response));
        }
        return new ProviderResult.Rejected(reason);
    }

    /// <summary>The first readable message at one of the JSON paths ("response.error", "error"), else the body's start.</summary>
    public static string Reason(string body, params string[] paths)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var path in paths)
            {
                var node = document.RootElement;
                var found = true;
                foreach (var name in path.Split('.'))
                {
                    if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out node)) { found = false; break; }
                }
                if (found && node.ValueKind == JsonValueKind.String && node.GetString() is { Length: > 0 } text) return Trim(text);
                if (found && node.ValueKind is JsonValueKind.Object or JsonValueKind.Array) return Trim(node.GetRawText());
            }
        }
        catch (JsonException)
        {
        }
        return Trim(body);
    }

    private static string Trim(string text) => text.Length <= 500 ? text.Trim() : text[..500].Trim() + "…";

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };

    /// <summary>A refused or failed connection means the request never reached the upstream.</summary>
    private static bool IsBeforeSend(Exception ex) =>
        ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    private static ResiliencePipeline<HttpResponseMessage> Build(ProviderHttpOptions options, bool idempotent, ILogger logger)
    {
        var handle = new PredicateBuilder<HttpResponseMessage>()
            .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout)
            .Handle<HttpRequestException>(ex => idempotent || IsBeforeSend(ex));
        if (idempotent) handle = handle.Handle<TimeoutRejectedException>();
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.Retries <= 0) return builder.AddTimeout(options.AttemptTimeout).Build();
        return builder
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = handle,
                MaxRetryAttempts = options.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } r && RetryAfter(r) is { } wait && wait <= options.MaxRetryDelay ? wait : (TimeSpan?)null),
                OnRetry = args =>
                {
                    logger.LogInformation("Upstream call failed ({Outcome}); retry {Attempt} in {Delay}",
                        args.Outcome.Result is { } r ? ((int)r.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name,
                        args.AttemptNumber + 1, args.RetryDelay);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }
}
