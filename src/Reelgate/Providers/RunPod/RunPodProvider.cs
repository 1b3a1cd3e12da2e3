using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Reelgate.Generation;

namespace Reelgate.Providers.RunPod;

/// <summary>
/// RunPod serverless (queue endpoints): POST /v2/{endpoint}/run with our webhook, GET /status/{id}, POST /cancel/{id}.
/// The input and the worker's answer, <c>{r2Url, durationSec, seed}</c>, are the contract in workers/wan22/contract.json.
/// </summary>
public sealed class RunPodProvider(IHttpClientFactory clients, IOptions<RunPodOptions> options, ILogger<RunPodProvider> logger)
    : IProviderAdapter, IGenerationProvider
{
    /// <summary>Wan2.2 TI2V-5B makes 1280×704 or 704×1280 only.</summary>
    public static readonly string[] Ratios = ["16:9", "9:16"];

    /// <summary>The worker's prompt limit, whatever this deployment's own is.</summary>
    public const int MaxPromptLength = 2000;

    public const string ProviderName = "runpod";
    private readonly RunPodOptions _options = options.Value;
    private readonly UpstreamHttp _upstream = new(clients, ProviderName, options.Value, logger);

    public string Name => ProviderName;
    public bool IsConfigured => _options.ApiKey.Length > 0 && _options.EndpointId.Length > 0;
    public bool CallsBack => true;
    public string? CallbackPath => "/webhooks/runpod";
    public string CallbackKey => _options.WebhookSecret;
    public TimeSpan PollInterval => _options.PollInterval;
    public int MaxInFlight => _options.MaxInFlight;
    public double MaxRequestsPerSecond => _options.MaxRequestsPerSecond;

    public async Task<ProviderResult> SubmitAsync(ProviderSubmission submission, CancellationToken ct)
    {
        var input = GenerationInput.FromJson(submission.Request);
        var body = new JsonObject
        {
            ["input"] = new JsonObject
            {
                ["prompt"] = input.Prompt,
                ["imageUrl"] = input.ImageUrl,
                ["durationSec"] = input.DurationSec,
                ["seed"] = input.Seed,
                ["ratio"] = input.Ratio,
                ["jobId"] = submission.JobId.ToString(),
                ["userId"] = submission.UserId.ToString(),
                ["createdAt"] = DateTime.SpecifyKind(submission.CreatedAt, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture),
            },
            ["policy"] = new JsonObject
            {
                ["executionTimeout"] = (long)_options.ExecutionTimeout.TotalMilliseconds,
                ["ttl"] = (long)(_options.ExecutionTimeout + _options.QueueTimeout).TotalMilliseconds,
            },
        };
        if (submission.CallbackUrl is { } webhook) body["webhook"] = webhook.ToString();
        var (response, failure) = await _upstream.SendAsync(() => Request(HttpMethod.Post, "run", JsonContent.Create(body)), idempotent: false, ct, submission.BeforeSend);
        if (failure is not null) return failure;
        using (response)
        {
            if (!response!.IsSuccessStatusCode) return await UpstreamHttp.ClassifyFailureAsync(response, ct, "error", "message");
            return Read(await response.Content.ReadFromJsonAsync<JsonElement>(ct));
        }
    }

    public async Task<ProviderResult> GetStatusAsync(string upstreamId, CancellationToken ct)
    {
        var (response, failure) = await _upstream.SendAsync(() => Request(HttpMethod.Get, $"status/{Uri.EscapeDataString(upstreamId)}"), idempotent: true, ct);
        if (failure is not null) return failure;
        using (response)
        {
            // Results are kept 30 min after completion and a job past its TTL is deleted: then there is nothing to fetch.
            if (response!.StatusCode == HttpStatusCode.NotFound) return new ProviderResult.Failed($"RunPod no longer knows job {upstreamId}");
            if (!response.IsSuccessStatusCode) return await UpstreamHttp.ClassifyFailureAsync(response, ct, "error", "message");
            return Read(await response.Content.ReadFromJsonAsync<JsonElement>(ct));
        }
    }

    public async Task CancelAsync(string upstreamId, CancellationToken ct)
    {
        var (response, failure) = await _upstream.SendAsync(() => Request(HttpMethod.Post, $"cancel/{Uri.EscapeDataString(upstreamId)}"), idempotent: true, ct);
        response?.Dispose();
        if (failure is not null) logger.LogWarning("Canceling RunPod job {UpstreamId} failed: {Reason}", upstreamId, failure.Reason);
    }

    public string? ReadCallbackId(string body) => ProviderJson.String(body, "id");

    public IEnumerable<(string Path, string Message)> Check(GenerationInput input)
    {
        if (input.Prompt is { Length: > MaxPromptLength }) yield return ("prompt", $"must be at most {MaxPromptLength} characters on runpod.");
        if (!Ratios.Contains(input.Ratio)) yield return ("ratio", $"must be one of {string.Join(", ", Ratios)} on runpod: Wan2.2 TI2V-5B makes 1280×704 or 704×1280.");
    }

    /// <summary>Maps RunPod's states: IN_QUEUE waits, IN_PROGRESS (or RUNNING) runs, COMPLETED succeeds, the rest fail.</summary>
    public static ProviderResult Read(JsonElement status)
    {
        var id = ProviderJson.String(status, "id") ?? "";
        var state = ProviderJson.String(status, "status") ?? "";
        var output = status.TryGetProperty("output", out var o) ? o : default;
        return state switch
        {
            "IN_QUEUE" => new ProviderResult.Accepted(id, new UpstreamStatus(state, UpstreamPhase.Waiting)),
            "IN_PROGRESS" or "RUNNING" => new ProviderResult.Accepted(id, new UpstreamStatus(state, UpstreamPhase.Running, Progress(output))),
            "COMPLETED" when OutputUrl(output) is { } url => new ProviderResult.Accepted(id, new UpstreamStatus(state, UpstreamPhase.Succeeded, 1, url,
                ProviderJson.Number(output, "durationSec"), ProviderJson.Long(output, "seed"))),
            "COMPLETED" => new ProviderResult.Failed(ProviderJson.String(output, "error") is { } e ? $"RunPod worker: {e}" : "RunPod completed the job without a video URL"),
            "FAILED" => new ProviderResult.Failed($"RunPod job failed: {Error(status)}"),
            "CANCELLED" => new ProviderResult.Failed("RunPod job was canceled"),
            "TIMED_OUT" => new ProviderResult.Failed("RunPod job timed out before a worker finished it"),
            _ => new ProviderResult.Transient($"RunPod answered an unknown status '{state}'"),
        };
    }

    private static string? OutputUrl(JsonElement output) => ProviderJson.String(output, "r2Url");

    private static double? Progress(JsonElement output) =>
        ProviderJson.Number(output, "progress") ?? (ProviderJson.Number(output, "pct") is { } pct ? pct / 100 : null);

    /// <summary>A handler exception arrives as a JSON-encoded string; its error_message is the readable part.</summary>
    private static string Error(JsonElement status)
    {
        var error = ProviderJson.String(status, "error") ?? "no reason given";
        return ProviderJson.String(error, "error_message") ?? error;
    }

    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, $"{_options.BaseUrl.TrimEnd('/')}/v2/{Uri.EscapeDataString(_options.EndpointId)}/{path}") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        return request;
    }
}
