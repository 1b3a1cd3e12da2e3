using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Common;

namespace Reelgate.ApiKeys;

public static class ApiKeysAdminEndpoints
{
    /// <summary>Both null clears the override, so the key follows the default limit again.</summary>
    public sealed record RateLimitRequest(int? Requests, int? WindowSeconds);

    public static IEndpointRouteBuilder MapApiKeysAdmin(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/admin/keys").WithTags("Admin").RequireAuthorization("admin").RequireScope(Scopes.Admin);
        group.MapPut("/{id:guid}/rate-limit", SetRateLimit);
        return routes;
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetRateLimit(
        Guid id, RateLimitRequest? body, HttpContext http, ApiKeyStore store, CancellationToken ct)
    {
        var validator = new Validator();
        if (body?.Requests is null != body?.WindowSeconds is null) validator.Add(body?.Requests is null ? "requests" : "windowSeconds", "must be set together with the other, or both null to clear.");
        if (body?.Requests is < 1 or > 1_000_000) validator.Add("requests", "must be between 1 and 1000000.");
        if (body?.WindowSeconds is < 1 or > 86_400) validator.Add("windowSeconds", "must be between 1 and 86400.");
        if (!validator.IsValid) return Problems.Validation(validator.Errors);

        return await store.SetRateLimitAsync(http.User.UserId(), id, body?.Requests, body?.WindowSeconds, ct) ? TypedResults.NoContent() : Problems.NotFound("API key");
    }
}
