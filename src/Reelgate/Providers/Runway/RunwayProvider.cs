using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Reelgate.Generation;

namespace Reelgate.Providers.Runway;

/// <summary>
/// Runway's image_to_video and text_to_video tasks, followed by polling GET /v1/tasks/{id} (Runway has no webhooks).
/// THROTTLED is Runway's queue for an organisation at its concurrency limit: waiting, not failure.
/// </summary>
public sealed class RunwayProvider(IHttpClientFactory clients, IOptions<RunwayOptions> options, ILogger<RunwayProvider> logger)
    : IProviderAdapter, IGenerationProvider
{
    public const string ProviderName = "runway";
    private const int MaxPromptLength = 1000;
    private readonly RunwayOptions _options = options.Value;
    private readonly UpstreamHttp _upstream = new(clients, ProviderName, options.Value, logger);

    public string Name => ProviderName;
    public bool IsConfigured => _options.ApiKey.Length > 0;
    public bool CallsBack => false;
    public string? CallbackPath => null;
    public string CallbackKey => "";
    public TimeSpan PollInterval => _options.PollInterval;
    public int MaxInFlight => _options.MaxInFlight;
    public double MaxRequestsPerSecond => _options.MaxRequestsPerSecond;

    public IEnumerable<(string Path, string Message)> Check(GenerationInput input)
    {
        if (input.DurationSec > 10) yield return ("durationSec", "Runway makes clips of 5 or 10 seconds.");
        if (input.Prompt?.Length > MaxPromptLength) yield return ("prompt", $"must be at most {MaxPromptLength} characters for Runway.");
        if (input.ImageUrl is null && input.Ratio == "1:1") yield return ("ratio", "Runway makes clips from text at 16:9 or 9:16.");
    }

    public async Task<ProviderResult> SubmitAsync(ProviderSubmission submission, CancellationToken ct)
    {
        var input = GenerationInput.FromJson(submission.Request);
        var fromImage = input.ImageUrl is not null;
        var body = new JsonObject
        {
            ["model"] = fromImage ? _options.ImageModel : _options.TextModel,
            ["ratio"] = Ratio(input.Ratio, fromImage),
            ["duration"] = input.DurationSec,
            ["seed"] = input.Seed,
        };
        if (fromImage) body["promptImage"] = input.ImageUrl;
        if (input.Prompt is not null) body["promptText"] = input.Prompt;
        var path = fromImage ? "v1/image_to_video" : "v1/text_to_video";
        var (response, failure) = await _upstream.SendAsync(() => Request(HttpMethod.Post, path, JsonContent.Create(body)), idempotent: false, ct, submission.BeforeSend);
        if (failure is not null) return failure;
        using (response)
        {
            if (!response!.IsSuccessStatusCode) return await UpstreamHttp.ClassifyFailureAsync(response, ct, "error", "message");
            var id = ProviderJson.String(await response.Content.ReadFromJsonAsync<JsonElement>(ct), "id");
            return id is null
                ? new ProviderResult.Transient("Runway accepted the task without an id", MayHaveAccepted: true)
                : new ProviderResult.Accepted(id, new UpstreamStatus("PENDING", UpstreamPhase.Waiting));
        }
    }

    public async Task<ProviderResult> GetStatusAsync(string upstreamId, CancellationToken ct)
    {
        var (response, failure) = await _upstream.SendAsync(() => Request(HttpMethod.Get, $"v1/tasks/{Uri.EscapeDataString(upstreamId)}"), idempotent: true, ct);
        if (failure is not null) return failure;
        using (response)
        {
            if (response!.StatusCode == HttpStatusCode.NotFound) return new ProviderResult.Failed($"Runway no longer knows task {upstreamId}");
            if (!response.IsSuccessStatusCode) return await UpstreamHttp.ClassifyFailureAsync(response, ct, "error", "message");
            return Read(await response.Content.ReadFromJsonAsync<JsonElement>(ct));
        }
    }

    /// <summary>DELETE cancels a task that has not finished (and deletes one that has).</summary>
    public async Task CancelAsync(string upstreamId, CancellationToken ct)
    {
        var (response, failure) = await _upstream.SendAsync(() =>
        {
            var request = Request(HttpMethod.Delete, $"v1/tasks/{Uri.EscapeDataString(upstreamId)}");
            request.Headers.Accept.ParseAdd("*/*");
            return request;
        }, idempotent: true, ct);
        response?.Dispose();
        if (failure is not null) logger.LogWarning("Canceling Runway task {UpstreamId} failed: {Reason}", upstreamId, failure.Reason);
    }

    public string? ReadCallbackId(string body) => null;

    public static ProviderResult Read(JsonElement task)
    {
        var id = ProviderJson.String(task, "id") ?? "";
        var status = ProviderJson.String(task, "status") ?? "";
        return status switch
        {
            "PENDING" or "THROTTLED" => new ProviderResult.Accepted(id, new UpstreamStatus(status, UpstreamPhase.Waiting)),
            "RUNNING" => new ProviderResult.Accepted(id, new UpstreamStatus(status, UpstreamPhase.Running, ProviderJson.Number(task, "progress"))),
            "SUCCEEDED" when FirstOutput(task) is { } url => new ProviderResult.Accepted(id, new UpstreamStatus(status, UpstreamPhase.Succeeded, 1, url)),
            "SUCCEEDED" => new ProviderResult.Failed("Runway finished the task without an output"),
            "FAILED" => new ProviderResult.Failed(
                $"Runway task failed: {ProviderJson.String(task, "failure") ?? "no reason given"}{(ProviderJson.String(task, "failureCode") is { } code ? $" ({code})" : "")}"),
            "CANCELLED" or "CANCELED" => new ProviderResult.Failed("Runway task was canceled"),
            _ => new ProviderResult.Transient($"Runway answered an unknown status '{status}'"),
        };
    }

    /// <summary>gen4_turbo takes 1280:720, 720:1280 or 960:960; text models take 1280:720 or 720:1280.</summary>
    public static string Ratio(string ratio, bool fromImage) => ratio switch
    {
        "9:16" => "720:1280",
        "1:1" when fromImage => "960:960",
        _ => "1280:720",
    };

    private static string? FirstOutput(JsonElement task) =>
        ProviderJson.Property(task, "output") is { ValueKind: JsonValueKind.Array } output && output.GetArrayLength() > 0
            && output[0].ValueKind == JsonValueKind.String
            ? output[0].GetString()
            : null;

    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, $"{_options.BaseUrl.TrimEnd('/')}/{path}") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        request.Headers.Add("X-Runway-Version", _options.Version);
        return request;
    }
}
