using Microsoft.IdentityModel.Tokens;

namespace Reelgate.Identity;

/// <summary>
/// One issuer's signing keys, fetched from its JWKS and kept for ten minutes (Supabase serves max-age=600). A token
/// naming an unknown kid fetches again at once, at most every few seconds, so a key rotated in at the issuer is picked
/// up on its first use and a flood of made-up kids cannot flood the issuer.
/// </summary>
public sealed class JwksKeys(string url, IHttpClientFactory clients, ILogger<JwksKeys> logger)
{
    public const string ClientName = "jwks";
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MinRefetch = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile IReadOnlyList<SecurityKey> _keys = [];
    private DateTime _fetchedAt = DateTime.MinValue;

    public IReadOnlyList<SecurityKey> Current => _keys;

    /// <summary>Call before validating a token with this kid; the validator then reads <see cref="Current"/> without I/O.</summary>
    public async Task PrepareAsync(string? kid, CancellationToken ct)
    {
        if (!NeedsFetch(kid)) return;
        await _fetching.WaitAsync(ct);
        try
        {
            if (!NeedsFetch(kid)) return;
            var client = clients.CreateClient(ClientName);
            var json = await client.GetStringAsync(url, ct);
            _keys = [.. new JsonWebKeySet(json).GetSigningKeys()];
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ArgumentException or System.Text.Json.JsonException)
        {
            logger.LogWarning(ex, "Could not fetch the JWKS at {Url}; keeping {Count} cached key(s)", url, _keys.Count);
        }
        finally
        {
            _fetchedAt = DateTime.UtcNow;
            _fetching.Release();
        }
    }

    private bool NeedsFetch(string? kid)
    {
        var age = DateTime.UtcNow - _fetchedAt;
        if (age > MaxAge) return true;
        return kid is not null && age > MinRefetch && !_keys.Any(k => k.KeyId == kid);
    }
}
