using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Reelgate.ApiKeys;
using Reelgate.Common;
using Reelgate.Usage;

namespace Reelgate.Accounts;

public static class AccountsAdminEndpoints
{
    public sealed record AdminUserPage(IReadOnlyList<DirectoryUser> Data, string? NextCursor);

    public static IEndpointRouteBuilder MapAccountsAdmin(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/admin/users").WithTags("Admin").RequireAuthorization("admin").RequireScope(Scopes.Admin);
        group.MapGet("/", ListUsers);
        group.MapPost("/{id:guid}/disable", Disable);
        group.MapPost("/{id:guid}/sessions/end", EndSessions);
        return routes;
    }

    private static async Task<Results<Ok<AdminUserPage>, ValidationProblem>> ListUsers(AdminDirectory directory, string? search, int? limit, string? cursor, CancellationToken ct)
    {
        var validator = new Validator();
        var (size, before) = validator.Page(limit, cursor, 50, 200);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);

        var rows = await directory.UsersAsync(search, before, size + 1, ct);
        var page = rows.Take(size).ToList();
        return TypedResults.Ok(new AdminUserPage(page, rows.Count > size ? page[^1].Id.ToString() : null));
    }

    public sealed record EndedSessions(int Ended);

    private static async Task<Results<Ok<EndedSessions>, ProblemHttpResult>> EndSessions(Guid id, HttpContext http, UserStore users, Sessions sessions, CancellationToken ct)
    {
        if (await users.FindByIdAsync(id, ct) is null) return Problems.NotFound("user");
        return TypedResults.Ok(new EndedSessions(await sessions.EndAllAsync(http.User.UserId(), id, ct)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Disable(Guid id, HttpContext http, NpgsqlDataSource db, AuthChanges authChanges, CancellationToken ct)
    {
        if (id == http.User.UserId())
        {
            return Problems.Create(StatusCodes.Status409Conflict, "cannot-disable-self", "Cannot disable yourself.", "An admin cannot disable their own account.");
        }
        return await UserDisabling.DisableAsync(db, authChanges, http.User.UserId(), id, ct) ? TypedResults.NoContent() : Problems.NotFound("user");
    }
}
