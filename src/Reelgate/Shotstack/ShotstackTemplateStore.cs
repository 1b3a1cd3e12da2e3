using Dapper;
using Npgsql;

namespace Reelgate.Shotstack;

public sealed record StoredTemplate(Guid Id, Guid UserId, string Name, string? Template, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>SQL for Shotstack-format templates; every query is scoped to the owner, so another user's id reads as missing.</summary>
public sealed class ShotstackTemplateStore(NpgsqlDataSource db)
{
    private const string Columns = "id, user_id, name, template::text AS template, created_at, updated_at";

    public async Task<Guid> CreateAsync(Guid userId, string name, string? template, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO shotstack_templates (id, user_id, name, template) VALUES (@id, @userId, @name, @template::jsonb)",
            new { id, userId, name, template }, cancellationToken: ct));
        return id;
    }

    public async Task<IReadOnlyList<StoredTemplate>> ListAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<StoredTemplate>(new CommandDefinition(
            $"SELECT {Columns} FROM shotstack_templates WHERE user_id = @userId ORDER BY created_at, id", new { userId }, cancellationToken: ct))).AsList();
    }

    public async Task<StoredTemplate?> GetAsync(Guid userId, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StoredTemplate>(new CommandDefinition(
            $"SELECT {Columns} FROM shotstack_templates WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct));
    }

    /// <returns>False when the caller has no template with this id.</returns>
    public async Task<bool> UpdateAsync(Guid userId, Guid id, string name, string? template, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE shotstack_templates SET name = @name, template = @template::jsonb, updated_at = now()
            WHERE id = @id AND user_id = @userId
            """, new { id, userId, name, template }, cancellationToken: ct)) == 1;
    }

    /// <returns>False when the caller has no template with this id.</returns>
    public async Task<bool> DeleteAsync(Guid userId, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM shotstack_templates WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct)) == 1;
    }
}
