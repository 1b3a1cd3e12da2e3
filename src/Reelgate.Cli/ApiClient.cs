using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Reelgate.Cli;

/// <summary>An error answer from Reelgate, read from its RFC 9457 problem body.</summary>
public sealed class ApiProblemException(int status, string title, string? detail, IReadOnlyDictionary<string, string[]> errors, string body)
    : Exception(title)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
    public string Body { get; } = body;
}

/// <summary>A command cannot go on for a reason the user can fix; exits 1 with the message.</summary>
public sealed class CliException(string message) : Exception(message);

/// <summary>Reelgate could not be reached at all (refused, DNS, timeout).</summary>
public sealed class UnreachableException(string message, Exception inner) : Exception(message, inner);

/// <summary>The HTTP API with the configured key; every call either returns the JSON body or throws one of the two above.</summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(CliConfig config)
    {
        BaseUrl = config.Url.TrimEnd('/');
        // Long polls wait up to 60 s; the timeout leaves room for that and a slow answer.
        _http = new HttpClient { BaseAddress = new Uri(BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(120) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", config.Key);
        _http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        _http.DefaultRequestHeaders.Accept.ParseAdd("application/problem+json");
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("reelgate-cli/1.0");
    }

    public string BaseUrl { get; }

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), ct);

    public Task<JsonElement> PostAsync(string path, HttpContent? content, CancellationToken ct) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = content }, ct);

    public Task<JsonElement> PostJsonAsync(string path, object body, CancellationToken ct) => PostAsync(path, JsonContent.Create(body, options: Output.JsonOptions), ct);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken ct) => SendAsync(new HttpRequestMessage(HttpMethod.Delete, path), ct);

    /// <summary>A stored output; sent without the API key, since signed links may point at another host.</summary>
    public static async Task<HttpResponseMessage> OpenDownloadAsync(string url, CancellationToken ct)
    {
        using var plain = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var response = await plain.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.IsSuccessStatusCode) return response;
            throw new ApiProblemException((int)response.StatusCode, $"The download answered {(int)response.StatusCode}.", url, new Dictionary<string, string[]>(), "");
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            throw new UnreachableException($"Could not reach {new Uri(url).GetLeftPart(UriPartial.Authority)}: {ex.Message}", ex);
        }
    }

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, ct);
            }
            catch (HttpRequestException ex) when (ex.StatusCode is null)
            {
                throw new UnreachableException($"Could not reach Reelgate at {BaseUrl}: {ex.Message}", ex);
            }
            catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
            {
                throw new UnreachableException($"Reelgate at {BaseUrl} did not answer in time.", ex);
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                if (response.IsSuccessStatusCode) return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
                throw ToProblem(response, body);
            }
        }
    }

    private static ApiProblemException ToProblem(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        try
        {
            var problem = JsonDocument.Parse(body).RootElement;
            if (problem.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in fields.EnumerateObject())
                {
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? field.Value.EnumerateArray().Select(m => m.ToString()).ToArray()
                        : [field.Value.ToString()];
                }
            }
            var title = problem.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return new ApiProblemException(status, title ?? response.ReasonPhrase ?? $"HTTP {status}", detail, errors, body);
        }
        catch (JsonException)
        {
            return new ApiProblemException(status, response.ReasonPhrase ?? $"HTTP {status}", body.Length > 300 ? body[..300] : body, errors, body);
        }
    }

    public void Dispose() => _http.Dispose();
}
