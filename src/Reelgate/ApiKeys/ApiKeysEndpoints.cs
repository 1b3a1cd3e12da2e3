using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Common;
using Reelgate.Idempotency;

namespace Reelgate.ApiKeys;

public static class ApiKeysEndpoints
{
    public const int MaxGracePeriodSeconds = 30 * 24 * 3600;

    public sealed record CreateKeyRequest(string? Name, string[]? Scopes, DateTime? ExpiresAt);
    public sealed record RotateKeyRequest(int? GracePeriodSeconds);
    public sealed record CreatedKey(Guid Id, string Name, string Prefix, string Key, string[] Scopes, DateTime? ExpiresAt, DateTime CreatedAt);
    public sealed record RotatedKey(Guid Id, string Name, string Prefix, string Key, string[] Scopes, DateTime? ExpiresAt, DateTime CreatedAt,
        Guid ReplacedId, DateTime ReplacedKeyExpiresAt);
    public sealed record KeyView(Guid Id, string Name, string Prefix, string[] Scopes, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt,
        DateTime? ExpiresAt, Guid? ReplacedBy, int? RateLimitRequests, int? RateLimitWindowSeconds);
    public sealed record KeyList(IReadOnlyList<KeyView> Data);

    public static IEndpointRouteBuilder MapApiKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/keys").WithTags("API keys").RequireAuthorization();
        group.MapPost("/", Create).WithIdempotency();
        group.MapGet("/", List);
        group.MapDelete("/{id:guid}", Revoke);
        group.MapPost("/{id:guid}/rotate", Rotate).WithIdempotency();
        return routes;
    }

    private static async Task<Results<Created<CreatedKey>, ValidationProblem, ProblemHttpResult>> Create(CreateKeyRequest? body, HttpContext http, ApiKeyStore store, CancellationToken ct)
    {
        var validator = KeyRequests.Validate(body?.Name, body?.Scopes, body?.ExpiresAt, http.User, DateTime.UtcNow);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);
        var scopes = body!.Scopes ?? [.. Scopes.Default];
        if (KeyRequests.MissingScope(http.User, scopes) is { } missing) return KeyRequests.InsufficientScope(missing);

        var (record, key) = await store.CreateAsync(http.User.UserId(), new KeySpec(body.Name!.Trim(), scopes, body.ExpiresAt?.ToUniversalTime()), ct);
        return TypedResults.Created($"/api/v1/keys/{record.Id}",
            new CreatedKey(record.Id, record.Name, record.Prefix, key, record.Scopes, record.ExpiresAt, record.CreatedAt));
    }

    private static async Task<Ok<KeyList>> List(HttpContext http, ApiKeyStore store, LastUsedTracker lastUsed, CancellationToken ct)
    {
        await lastUsed.FlushAsync(ct);
        var keys = await store.ListAsync(http.User.UserId(), ct);
        return TypedResults.Ok(new KeyList(keys.Select(View).ToList()));
    }

    public static KeyView View(ApiKeyRecord k) =>
        new(k.Id, k.Name, k.Prefix, k.Scopes, k.CreatedAt, k.LastUsedAt, k.RevokedAt, k.ExpiresAt, k.ReplacedBy, k.RateLimitRequests, k.RateLimitWindow);

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, HttpContext http, ApiKeyStore store, CancellationToken ct) =>
        await store.RevokeAsync(http.User.UserId(), id, ct) ? TypedResults.NoContent() : Problems.NotFound("API key");

    private static async Task<Results<Ok<RotatedKey>, ValidationProblem, ProblemHttpResult>> Rotate(
        Guid id, RotateKeyRequest? body, HttpContext http, ApiKeyStore store, CancellationToken ct)
    {
        var grace = body?.GracePeriodSeconds ?? 0;
        if (grace is < 0 or > MaxGracePeriodSeconds)
        {
            return Problems.Validation("gracePeriodSeconds", $"must be between 0 and {MaxGracePeriodSeconds} (30 days).");
        }
        var userId = http.User.UserId();
        if (await store.FindAsync(userId, id, ct) is { } target && KeyRequests.MissingScope(http.User, target.Scopes) is { } missing)
        {
            return KeyRequests.InsufficientScope(missing);
        }
        return await store.RotateAsync(userId, id, TimeSpan.FromSeconds(grace), ct) switch
        {
            RotateResult.Rotated r => TypedResults.Ok(new RotatedKey(r.Key.Id, r.Key.Name, r.Key.Prefix, r.Secret, r.Key.Scopes, r.Key.ExpiresAt,
                r.Key.CreatedAt, id, r.OldKeyEndsAt)),
            RotateResult.Inactive => Problems.Create(StatusCodes.Status409Conflict, "key-inactive", "Key cannot be rotated.",
                "Only a live key can be rotated; this one is revoked, expired or already replaced."),
            _ => Problems.NotFound("API key"),
        };
    }
}
