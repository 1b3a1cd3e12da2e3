using Npgsql;
using NpgsqlTypes;
using Reelgate.Data;

namespace Reelgate.Jobs;

/// <summary>
/// Admits several submissions of one user in one statement: the account row is locked once, and the longest run of
/// them, in arrival order, that the balance and the active-job limit allow is held and inserted, each with its own
/// ledger entry carrying the balances after it. The rest are left for the one-at-a-time path, which answers exactly.
/// An account with refund debts admits nothing here.
/// </summary>
public static class BatchAdmission
{
    private const string AdmitSql = """
        WITH req AS (
            SELECT * FROM unnest($2::uuid[], $3::numeric[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::uuid[])
                WITH ORDINALITY AS r(id, quote, kind, provider, request, max_attempts, callback_url, wake, entry_id, n)),
        locked AS (
            SELECT available, held, active_jobs FROM credit_accounts
            WHERE user_id = $1 AND NOT EXISTS (SELECT 1 FROM billing_debts WHERE user_id = $1 AND remaining > 0)
            FOR UPDATE),
        running AS (
            SELECT req.*, sum(quote) OVER (ORDER BY n) AS spent FROM req),
        ok AS (
            SELECT running.*, locked.available - spent AS available_after, locked.held + spent AS held_after
            FROM running, locked
            WHERE spent <= locked.available AND locked.active_jobs + n <= $11),
        account AS (
            UPDATE credit_accounts SET available = available - t.total, held = held + t.total, active_jobs = active_jobs + t.jobs, updated_at = now()
            FROM (SELECT sum(quote) AS total, count(*) AS jobs FROM ok) t
            WHERE user_id = $1 AND t.jobs > 0
            RETURNING 1),
        entry AS (
            INSERT INTO credit_ledger (id, user_id, kind, amount, held_amount, available_after, held_after, operation_key, job_id)
            SELECT entry_id, $1, 'hold', -quote, quote, available_after, held_after, 'job:' || id::text || ':hold', id FROM ok ORDER BY n
            RETURNING 1),
        job AS (
            INSERT INTO jobs (id, user_id, kind, status, provider, request, quote, max_attempts, callback_url)
            SELECT id, $1, kind, 'queued', provider, request::jsonb, quote, max_attempts, callback_url FROM ok ORDER BY n
            RETURNING id),
        event AS (
            INSERT INTO job_events (job_id, status, message) SELECT id, 'queued', 'Job queued' FROM job RETURNING 1),
        wake AS (
            SELECT pg_notify($12, w.wake) FROM (SELECT DISTINCT wake FROM ok) w)
        SELECT ok.id, (SELECT count(*) FROM account) + (SELECT count(*) FROM entry) + (SELECT count(*) FROM event) + (SELECT count(*) FROM wake) AS written
        FROM ok
        """;

    /// <summary>The ids of the submissions admitted; every one of a batch has the same user and active-job limit.</summary>
    public static async Task<IReadOnlySet<Guid>> AdmitAsync(NpgsqlDataSource db, IReadOnlyList<AdmissionLanes.Pending> batch, CancellationToken ct)
    {
        var jobs = batch.Select(p => p.Job).ToList();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var command = new NpgsqlBatch(connection);
        var admit = new NpgsqlBatchCommand(AdmitSql);
        admit.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobs[0].UserId });
        admit.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. jobs.Select(j => j.Id)] });
        admit.Parameters.Add(new NpgsqlParameter<decimal[]> { TypedValue = [.. jobs.Select(j => j.Quote)] });
        admit.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. jobs.Select(j => j.Kind)] });
        admit.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. jobs.Select(j => j.Provider)] });
        admit.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. jobs.Select(j => j.Request)] });
        admit.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. jobs.Select(j => j.MaxAttempts)] });
        admit.Parameters.Add(new NpgsqlParameter
        {
            Value = jobs.Select(j => (object?)j.CallbackUrl ?? DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
        });
        admit.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. jobs.Select(JobAdmission.WakeUp)] });
        admit.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. jobs.Select(_ => Guid.CreateVersion7())] });
        admit.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batch[0].MaxActive });
        admit.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Channels.Jobs });
        command.BatchCommands.Add(admit);
        // Each is guarded by its job's row, so the commands of submissions left out write nothing. Copies go in, so
        // those left out still have their own for the one-at-a-time path.
        foreach (var alongside in batch.SelectMany(p => p.Alongside)) command.BatchCommands.Add(Copy(alongside));
        var admitted = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) admitted.Add(reader.GetGuid(0));
        while (await reader.NextResultAsync(ct))
        {
            // The guarded commands return nothing; reading on lets the batch finish before the connection returns to the pool.
        }
        return admitted;
    }

    private static NpgsqlBatchCommand Copy(NpgsqlBatchCommand original)
    {
        var copy = new NpgsqlBatchCommand(original.CommandText);
        foreach (NpgsqlParameter parameter in original.Parameters) copy.Parameters.Add(parameter.Clone());
        return copy;
    }
}
