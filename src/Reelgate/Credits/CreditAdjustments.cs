using Reelgate.Common;
using Npgsql;

namespace Reelgate.Credits;

/// <summary>Operator grants and adjustments, audited with actor and reason.</summary>
public sealed class CreditAdjustments(NpgsqlDataSource db)
{
    public async Task<LedgerResult> AdjustAsync(Guid userId, decimal amount, string reason, Guid? actorId, string kind, string? operationKey, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var key = operationKey ?? $"{kind}:{Guid.CreateVersion7()}";
        var result = await Ledger.ApplyAsync(connection, tx, new LedgerOperation(userId, kind, amount, 0, key, ActorId: actorId, Reason: reason), ct);
        if (result is LedgerResult.Applied applied)
        {
            await Audit.WriteAsync(connection, tx, actorId, "credits.adjust", "user", userId.ToString(),
                new { amount, reason, kind, ledgerEntryId = applied.Entry.Id }, ct);
        }
        await tx.CommitAsync(ct);
        return result;
    }
}
