using System.Reflection;
using Dapper;
using Npgsql;

namespace Reelgate.Data;

/// <summary>Applies the embedded Data/Migrations/*.sql files in order, once each, under an advisory lock.</summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    private const long LockId = 7_362_921_004_118_001;

    private const string ResourcePrefix = "Reelgate.Data.Migrations.";

    /// <summary>The embedded migrations' names, in the order they apply, without reading their SQL.</summary>
    public static IReadOnlyList<string> Names() =>
        [.. typeof(Migrator).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => n[ResourcePrefix.Length..^4])];

    public static IReadOnlyList<(string Name, string Sql)> Scripts() =>
        [.. Names().Select(name => (name, Read(typeof(Migrator).Assembly, $"{ResourcePrefix}{name}.sql")))];

    public async Task<int> MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@LockId)", new { LockId }, cancellationToken: ct));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken: ct));
            var applied = (await connection.QueryAsync<string>("SELECT name FROM schema_migrations")).ToHashSet();
            var count = 0;
            foreach (var (name, sql) in Scripts().Where(s => !applied.Contains(s.Name)))
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                await connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_migrations (name) VALUES (@name)", new { name }, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
                logger.LogInformation("Applied migration {Migration}", name);
                count++;
            }
            return count;
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@LockId)", new { LockId });
        }
    }

    /// <summary>The migrations not yet applied, read without writing anything (no schema_migrations table: all of them).</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var applied = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT to_regclass('schema_migrations') IS NOT NULL", cancellationToken: ct))
            ? (await connection.QueryAsync<string>(new CommandDefinition("SELECT name FROM schema_migrations", cancellationToken: ct))).ToHashSet()
            : [];
        return [.. Names().Where(name => !applied.Contains(name))];
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
