using Dapper;
using Npgsql;

namespace Reelgate.Usage;

public sealed record DirectoryUser(Guid Id, string Email, string Role, string? Plan, decimal Available, decimal Held, DateTime CreatedAt, DateTime? DisabledAt);

public sealed record DirectoryJob(
    Guid Id, Guid UserId, string Email, string Kind, string Status, double Progress, string Provider, decimal Quote, double? Duration,
    string? ErrorCode, DateTime CreatedAt, DateTime? CompletedAt);

/// <summary>What operators look through: every user and every job, newest first, filtered.</summary>
public sealed class AdminDirectory(NpgsqlDataSource db)
{
    public async Task<IReadOnlyList<DirectoryUser>> UsersAsync(string? search, Guid? before, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<DirectoryUser>(new CommandDefinition("""
            SELECT u.id, u.email, u.role, u.plan, coalesce(a.available, 0) AS available, coalesce(a.held, 0) AS held, u.created_at, u.disabled_at
            FROM users u LEFT JOIN credit_accounts a ON a.user_id = u.id
            WHERE (@search::text IS NULL OR u.email ILIKE '%' || @search || '%') AND (@before::uuid IS NULL OR u.id < @before)
            ORDER BY u.id DESC LIMIT @limit
            """, new { search = Blank(search), before, limit }, cancellationToken: ct))).AsList();
    }

    public async Task<DirectoryUser?> UserAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<DirectoryUser>(new CommandDefinition("""
            SELECT u.id, u.email, u.role, u.plan, coalesce(a.available, 0) AS available, coalesce(a.held, 0) AS held, u.created_at, u.disabled_at
            FROM users u LEFT JOIN credit_accounts a ON a.user_id = u.id WHERE u.id = @id
            """, new { id }, cancellationToken: ct));
    }

    /// <summary>Jobs of every user; <paramref name="user"/> matches an email fragment or a user id.</summary>
    public async Task<IReadOnlyList<DirectoryJob>> JobsAsync(string? status, string? provider, string? user, Guid? before, int limit, CancellationToken ct)
    {
        var userText = Blank(user);
        Guid? userId = Guid.TryParse(userText, out var parsed) ? parsed : null;
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<DirectoryJob>(new CommandDefinition("""
            SELECT j.id, j.user_id, u.email, j.kind, j.status, j.progress::float8 AS progress, j.provider, j.quote, j.duration,
                   j.error_code, j.created_at, j.completed_at
            FROM jobs j JOIN users u ON u.id = j.user_id
            WHERE (@status::text IS NULL OR j.status = @status) AND (@provider::text IS NULL OR j.provider = @provider)
              AND (@userId::uuid IS NULL OR j.user_id = @userId)
              AND (@userId::uuid IS NOT NULL OR @userText::text IS NULL OR u.email ILIKE '%' || @userText || '%')
              AND (@before::uuid IS NULL OR j.id < @before)
            ORDER BY j.id DESC LIMIT @limit
            """, new { status = Blank(status), provider = Blank(provider), userId, userText, before, limit }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<string>> ProvidersAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT provider FROM jobs ORDER BY provider", cancellationToken: ct))).AsList();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
