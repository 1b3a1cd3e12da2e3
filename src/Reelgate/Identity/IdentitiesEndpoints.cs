using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Common;

namespace Reelgate.Identity;

public static class IdentitiesEndpoints
{
    public sealed record IdentityView(Guid Id, string Provider, string ProviderName, string? Email, bool EmailVerified, DateTime CreatedAt, DateTime? LastUsedAt);
    public sealed record IdentityList(IReadOnlyList<IdentityView> Data);

    public static IEndpointRouteBuilder MapIdentities(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/me/identities").WithTags("Accounts").RequireAuthorization();
        group.MapGet("/", List);
        group.MapDelete("/{id:guid}", Unlink);
        return routes;
    }

    private static async Task<Ok<IdentityList>> List(HttpContext http, IdentityStore store, ExternalProviders providers, CancellationToken ct)
    {
        var rows = await store.ListAsync(http.User.UserId(), ct);
        return TypedResults.Ok(new IdentityList(rows.Select(r =>
            new IdentityView(r.Id, r.Provider, providers.DisplayName(r.Provider), r.Email, r.EmailVerified, r.CreatedAt, r.LastUsedAt)).ToList()));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Unlink(Guid id, HttpContext http, IdentityStore store, CancellationToken ct) =>
        await store.UnlinkAsync(http.User.UserId(), id, ct) switch
        {
            IdentityStore.UnlinkResult.Unlinked => TypedResults.NoContent(),
            IdentityStore.UnlinkResult.LastSignInMethod => Problems.Create(StatusCodes.Status409Conflict, "last-sign-in-method",
                "Cannot unlink the last way to sign in.", "This account has no password and no other identity; link another one first."),
            _ => Problems.NotFound("identity"),
        };
}
