using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Reelgate.Billing.TrueLayer;

/// <summary>What a TrueLayer call came to: the JSON answer, a refusal with TrueLayer's problem, or no answer.</summary>
public abstract record TlResult
{
    public sealed record Ok(JsonObject Body) : TlResult;
    public sealed record Rejected(int Status, string Detail) : TlResult;
    public sealed record Failed(string Reason) : TlResult;

    public string Describe() => this switch
    {
        Rejected r => $"TrueLayer refused the request ({r.Status}): {r.Detail}",
        Failed f => f.Reason,
        _ => "TrueLayer accepted the request.",
    };
}

/// <summary>
/// TrueLayer's Payments API v3. Every POST is signed (<c>Tl-Signature</c> over the method, path, Idempotency-Key and
/// the exact body bytes sent) and carries an Idempotency-Key the caller derives from our own ids, so a repeat after a lost
/// answer is the same request. Tokens come from the client-credentials grant and are kept until a minute before expiry.
/// </summary>
public sealed class TrueLayerApi(IHttpClientFactory clients, IOptions<TrueLayerOptions> options, TimeProvider time, ILogger<TrueLayerApi> logger)
{
    public const string HttpClientName = "TrueLayer";
    public const string PaymentsScope = "payments";
    public const string MandatesScope = "payments recurring_payments:commercial";
    private static readonly TimeSpan RenewalMargin = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private readonly Dictionary<string, (string Token, DateTimeOffset ExpiresAt)> _tokens = new(StringComparer.Ordinal);

    public Task<TlResult> PostAsync(string path, JsonObject body, string idempotencyKey, string scope, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, Encoding.UTF8.GetBytes(body.ToJsonString()), idempotencyKey, scope, ct);

    public Task<TlResult> GetAsync(string path, string scope, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, null, scope, ct);

    /// <summary>A UUID made from a key of our own, so the same charge always sends the same Idempotency-Key.</summary>
    public static string IdempotencyKey(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    private async Task<TlResult> SendAsync(HttpMethod method, string path, byte[]? body, string? idempotencyKey, string scope, CancellationToken ct)
    {
        var settings = options.Value;
        if (await TokenAsync(scope, ct) is not { } token) return new TlResult.Failed("TrueLayer gave no access token; check TRUELAYER_CLIENT_ID and TRUELAYER_CLIENT_SECRET.");
        using var request = new HttpRequestMessage(method, new Uri(settings.Api, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            var key = idempotencyKey ?? throw new ArgumentNullException(nameof(idempotencyKey));
            request.Headers.Add("Idempotency-Key", key);
            using var signingKey = CreateSigningKey(settings);
            request.Headers.Add(TlSignature.HeaderName, TlSignature.Sign(signingKey, settings.SigningKeyId!, method.Method, path, [new("Idempotency-Key", key)], body));
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        return await CallAsync(request, ct);
    }

    public static ECDsa CreateSigningKey(TrueLayerOptions settings)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(settings.SigningPrivateKey!.Replace("\\n", "\n", StringComparison.Ordinal));
        return key;
    }

    private async Task<string?> TokenAsync(string scope, CancellationToken ct)
    {
        await _tokenLock.WaitAsync(ct);
        try
        {
            if (_tokens.TryGetValue(scope, out var cached) && cached.ExpiresAt > time.GetUtcNow()) return cached.Token;
            var settings = options.Value;
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.Auth, "/connect/token"))
            {
                Content = new FormUrlEncodedContent([
                    new("grant_type", "client_credentials"), new("client_id", settings.ClientId!),
                    new("client_secret", settings.ClientSecret!), new("scope", scope)]),
            };
            if (await CallAsync(request, ct) is not TlResult.Ok { Body: var answer }
                || answer["access_token"]?.GetValue<string>() is not { Length: > 0 } token)
            {
                logger.LogWarning("TrueLayer's token endpoint gave no access token for scope {Scope}", scope);
                return null;
            }
            var lifetime = TimeSpan.FromSeconds(answer["expires_in"]?.GetValue<int>() ?? 3600);
            _tokens[scope] = (token, time.GetUtcNow() + lifetime - RenewalMargin);
            return token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    private async Task<TlResult> CallAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                var detail = Problem(text) ?? response.ReasonPhrase ?? "no detail";
                return (int)response.StatusCode >= 500 ? new TlResult.Failed($"TrueLayer answered {(int)response.StatusCode}: {detail}") : new TlResult.Rejected((int)response.StatusCode, detail);
            }
            return new TlResult.Ok(text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? []);
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is JsonException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return new TlResult.Failed($"TrueLayer could not be reached: {ex.Message}");
        }
    }

    /// <summary>TrueLayer errors are RFC 7807 problems; their title and detail, or the error code, say why.</summary>
    private static string? Problem(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject problem
                ? string.Join(": ", new[] { problem["title"], problem["detail"], problem["error"] }.OfType<JsonNode>().Select(n => n.ToString()))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
