using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Common;
using Reelgate.Idempotency;

namespace Reelgate.ApiKeys;

public static class ApiKeysEndpoints
{
    public sealed record CreateKeyRequest(string? Name);
    public sealed record CreatedKey(Guid Id, string Name, string Prefix, string Key, DateTime CreatedAt);
    public sealed record KeyView(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);
    public sealed record KeyList(IReadOnlyList<KeyView> Data);

    public static IEndpointRouteBuilder MapApiKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/keys").WithTags("API keys").RequireAuthorization();
        group.MapPost("/", Create).WithIdempotency();
        group.MapGet("/", List);
        group.MapDelete("/{id:guid}", Revoke);
        return routes;
    }

    private static async Task<Results<Created<CreatedKey>, ValidationProblem>> Create(CreateKeyRequest? body, HttpContext http, ApiKeyStore store, CancellationToken ct)
    {
        var validator = new Validator()
            .Require("name", body?.Name)
            .MaxLength("name", body?.Name, 100);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);

        var (record, key) = await store.CreateAsync(http.User.UserId(), body!.Name!.Trim(), ct);
        return TypedResults.Created($"/api/v1/keys/{record.Id}", new CreatedKey(record.Id, record.Name, record.Prefix, key, record.CreatedAt));
    }

    private static async Task<Ok<KeyList>> List(HttpContext http, ApiKeyStore store, LastUsedTracker lastUsed, CancellationToken ct)
    {
        await lastUsed.FlushAsync(ct);
        var keys = await store.ListAsync(http.User.UserId(), ct);
        return TypedResults.Ok(new KeyList(keys.Select(k => new KeyView(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt)).ToList()));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, HttpContext http, ApiKeyStore store, CancellationToken ct) =>
        await store.RevokeAsync(http.User.UserId(), id, ct) ? TypedResults.NoContent() : Problems.NotFound("API key");
}
