using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Reelgate.ApiKeys;
using Reelgate.Common;

namespace Reelgate.Accounts;

public static class AccountsAdminEndpoints
{
    public sealed record AdminUser(Guid Id, string Email, string Role, string? Plan, decimal Available, decimal Held, DateTime CreatedAt, DateTime? DisabledAt);
    public sealed record AdminUserPage(IReadOnlyList<AdminUser> Data, string? NextCursor);

    public static IEndpointRouteBuilder MapAccountsAdmin(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/admin/users").WithTags("Admin").RequireAuthorization("admin");
        group.MapGet("/", ListUsers);
        group.MapPost("/{id:guid}/disable", Disable);
        return routes;
    }

    private static async Task<Results<Ok<AdminUserPage>, ValidationProblem>> ListUsers(NpgsqlDataSource db, string? search, int? limit, string? cursor, CancellationToken ct)
    {
        var validator = new Validator();
        var (size, before) = validator.Page(limit, cursor, 50, 200);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);

        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<AdminUser>(new CommandDefinition("""
            SELECT u.id, u.email, u.role, u.plan, coalesce(a.available, 0) AS available, coalesce(a.held, 0) AS held, u.created_at, u.disabled_at
            FROM users u LEFT JOIN credit_accounts a ON a.user_id = u.id
            WHERE (@search::text IS NULL OR u.email ILIKE '%' || @search || '%') AND (@before::uuid IS NULL OR u.id < @before)
            ORDER BY u.id DESC LIMIT @take
            """, new { search = string.IsNullOrWhiteSpace(search) ? null : search.Trim(), before, take = size + 1 }, cancellationToken: ct))).AsList();
        var page = rows.Take(size).ToList();
        return TypedResults.Ok(new AdminUserPage(page, rows.Count > size ? page[^1].Id.ToString() : null));
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
