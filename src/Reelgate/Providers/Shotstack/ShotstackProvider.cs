using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Reelgate.Providers.Shotstack;

/// <summary>
/// Forwards Edits to Shotstack's Edit API with our key and our callback, reads GET /render/{id}. Shotstack has no
/// cancel call, so a canceled job's render finishes there and is ignored here.
/// </summary>
public sealed class ShotstackProvider(IHttpClientFactory clients, IOptions<ShotstackProviderOptions> options, ILogger<ShotstackProvider> logger) : IProviderAdapter
{
    public const string ProviderName = "shotstack";
    private readonly ShotstackProviderOptions _options = options.Value;
    private readonly UpstreamHttp _upstream = new(clients, ProviderName, options.Value, logger);

    public string Name => ProviderName;
    public bool IsConfigured => _options.ApiKey.Length > 0;
    public bool CallsBack => true;
    public string? CallbackPath => "/api/v1/webhook";
    public string CallbackKey => _options.ApiKey;
    public TimeSpan PollInterval => _options.PollInterval;
    public int MaxInFlight => _options.MaxInFlight;
    public double MaxRequestsPerSecond => _options.MaxRequestsPerSecond;

    public async Task<ProviderResult> SubmitAsync(ProviderSubmission submission, CancellationToken ct)
    {
        var edit = JsonNode.Parse(submission.Request)!.AsObject();
        // The user's own callback is ours to deliver once the output is in our storage; Shotstack calls us.
        edit.Remove("callback");
        if (submission.CallbackUrl is { } callback) edit["callback"] = callback.ToString();
        var json = edit.ToJsonString();
        var (response, failure) = await _upstream.SendAsync(
            () => Request(HttpMethod.Post, "render", new StringContent(json, Encoding.UTF8, "application/json")), idempotent: false, ct, submission.BeforeSend);
        if (failure is not null) return failure;
        using (response)
        {
            if (!response!.IsSuccessStatusCode) return await UpstreamHttp.ClassifyFailureAsync(response, ct, "response.error", "message");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            var id = ProviderJson.String(ProviderJson.Property(body, "response"), "id");
            return id is null
                ? new ProviderResult.Transient("Shotstack accepted the render without an id", MayHaveAccepted: true)
                : new ProviderResult.Accepted(id, new UpstreamStatus("queued", UpstreamPhase.Waiting));
        }
    }

    public async Task<ProviderResult> GetStatusAsync(string upstreamId, CancellationToken ct)
    {
        var (response, failure) = await _upstream.SendAsync(
            () => Request(HttpMethod.Get, $"render/{Uri.EscapeDataString(upstreamId)}?data=false"), idempotent: true, ct);
        if (failure is not null) return failure;
        using (response)
        {
            if (!response!.IsSuccessStatusCode) return await UpstreamHttp.ClassifyFailureAsync(response, ct, "response.error", "message");
            return Read(upstreamId, ProviderJson.Property(await response.Content.ReadFromJsonAsync<JsonElement>(ct), "response"));
        }
    }

    public Task CancelAsync(string upstreamId, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Edit callbacks name the render in `id`; Serve API copy callbacks name it in `render`.</summary>
    public string? ReadCallbackId(string body) =>
        ProviderJson.String(body, "type") == "serve" ? ProviderJson.String(body, "render") : ProviderJson.String(body, "id");

    /// <summary>queued waits; fetching, preprocessing, rendering and saving run; done succeeds with its URL; failed fails.</summary>
    public static ProviderResult Read(string upstreamId, JsonElement render)
    {
        var status = ProviderJson.String(render, "status") ?? "";
        return status switch
        {
            "queued" => new ProviderResult.Accepted(upstreamId, new UpstreamStatus(status, UpstreamPhase.Waiting)),
            "fetching" => new ProviderResult.Accepted(upstreamId, new UpstreamStatus(status, UpstreamPhase.Running, 0.1)),
            "preprocessing" => new ProviderResult.Accepted(upstreamId, new UpstreamStatus(status, UpstreamPhase.Running, 0.2)),
            "rendering" => new ProviderResult.Accepted(upstreamId, new UpstreamStatus(status, UpstreamPhase.Running, 0.5)),
            "saving" => new ProviderResult.Accepted(upstreamId, new UpstreamStatus(status, UpstreamPhase.Running, 0.9)),
            "done" when ProviderJson.String(render, "url") is { } url =>
                new ProviderResult.Accepted(upstreamId, new UpstreamStatus(status, UpstreamPhase.Succeeded, 1, url, ProviderJson.Number(render, "duration"))),
            "done" => new ProviderResult.Failed("Shotstack finished the render without an output URL"),
            "failed" => new ProviderResult.Failed($"Shotstack render failed: {(ProviderJson.String(render, "error") is { Length: > 0 } e ? e : "no reason given")}"),
            _ => new ProviderResult.Transient($"Shotstack answered an unknown status '{status}'"),
        };
    }

    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, $"{_options.BaseUrl.TrimEnd('/')}/{path}") { Content = content };
        request.Headers.Add("x-api-key", _options.ApiKey);
        return request;
    }
}
