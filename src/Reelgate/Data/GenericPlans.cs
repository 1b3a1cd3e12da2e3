using Dapper;
using Npgsql;

namespace Reelgate.Data;

/// <summary>
/// Runs a statement whose best plan is the same for every argument (the job steps' lookups by id and walks of the due
/// indexes) with PostgreSQL's generic plan, planned once per connection. Left to choose, the server keeps planning such a
/// statement afresh on each call when a call's arrays are short or its values look rare, at a cost that can exceed the
/// statement's own. The setting goes in the same round trip and is local to the statement's transaction (the round
/// trip's own, unless one is open), so the other statements on the pooled connection still choose for themselves.
/// </summary>
public static class GenericPlans
{
    private const string UseGenericPlan = "SELECT set_config('plan_cache_mode', 'force_generic_plan', true)";

    /// <summary>The setting as the first command of a batch: every command after it runs with its generic plan.</summary>
    public static NpgsqlBatchCommand First() => new(UseGenericPlan);

    /// <summary>The results of <paramref name="sql"/>, one or more statements run in one transaction with their generic plans.</summary>
    public static async Task<SqlMapper.GridReader> QueryMultipleAsync(NpgsqlConnection connection, string sql, object? args, CancellationToken ct = default)
    {
        var results = await connection.QueryMultipleAsync(new CommandDefinition($"{UseGenericPlan};\n{sql}", args, cancellationToken: ct));
        await results.ReadAsync<string>();
        return results;
    }

    /// <summary>The rows of <paramref name="sql"/>, one statement, run with its generic plan.</summary>
    public static async Task<List<T>> QueryAsync<T>(NpgsqlConnection connection, string sql, object? args, NpgsqlTransaction? tx = null,
        CancellationToken ct = default)
    {
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition($"{UseGenericPlan};\n{sql}", args, tx, cancellationToken: ct));
        await results.ReadAsync<string>();
        return (await results.ReadAsync<T>()).AsList();
    }
}
