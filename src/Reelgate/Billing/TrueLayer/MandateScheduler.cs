using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Common;
using Reelgate.Data;

namespace Reelgate.Billing.TrueLayer;

/// <summary>
/// Makes each month's payment on its mandate, from every instance at once. A due mandate is claimed with SKIP LOCKED
/// and its due date pushed out by a lease in the same transaction as the payment row, whose unique key (mandate,
/// month, try) allows one payment per try; the request to TrueLayer carries an Idempotency-Key made from that key, so an
/// instance that dies between the two leaves a repeat that TrueLayer answers with the same payment.
/// </summary>
public sealed class MandateScheduler(NpgsqlDataSource db, TrueLayerApi api, MandateSchedule schedule, TrueLayerPayments payments, BillingCatalog catalog,
    TimeProvider time, ILogger<MandateScheduler> logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private sealed record Claim(MandateRecord Mandate, Guid? PaymentId);

    /// <summary>Acts on every mandate due now; returns how many it acted on.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var acted = 0;
        while (await ClaimAsync(ct) is { } claim)
        {
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["MandateId"] = claim.Mandate.Id });
            if (claim.Mandate.Status == "authorized" && claim.PaymentId is { } paymentId) await ChargeAsync(claim.Mandate, paymentId, ct);
            else if (claim.Mandate.Status == "ending") await RevokeAsync(claim.Mandate, ct);
            acted++;
        }
        return acted;
    }

    private async Task<Claim?> ClaimAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var mandate = await connection.QuerySingleOrDefaultAsync<MandateRecord>(new CommandDefinition("""
            SELECT id, user_id, plan, payment_id, currency, amount_minor, status, period, attempt, anchor_at, due_at, revoke_needed, failure_reason, revoked_at
            FROM truelayer_mandates WHERE due_at <= @now ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED
            """, new { now }, tx, cancellationToken: ct));
        if (mandate is null) return null;
        Guid? paymentId = null;
        switch (mandate.Status)
        {
            case "authorized":
                paymentId = await ChargeRowAsync(connection, tx, mandate, ct);
                await Postpone(connection, tx, mandate.Id, now + Lease, ct);
                break;
            case "ending":
                await Postpone(connection, tx, mandate.Id, now + Lease, ct);
                break;
            case "revoked":
                // The last paid month is over.
                await schedule.EndPlanAsync(connection, tx, mandate, MandateSchedule.Utc(mandate.DueAt!.Value), revokeNeeded: false, ct);
                break;
            default:
                await Postpone(connection, tx, mandate.Id, null, ct);
                break;
        }
        await tx.CommitAsync(ct);
        return new Claim(mandate, paymentId);
    }

    /// <summary>The payment row of this month's try: the plan purchase itself for the first try of the first month.</summary>
    private async Task<Guid> ChargeRowAsync(NpgsqlConnection connection, NpgsqlTransaction tx, MandateRecord mandate, CancellationToken ct)
    {
        if (mandate is { Period: 1, Attempt: 1 })
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE payments SET period = 1, attempt = 1 WHERE id = @PaymentId AND period IS NULL
                """, mandate, tx, cancellationToken: ct));
        }
        else
        {
            var credits = catalog.FindPlan(mandate.Plan)?.MonthlyCredits ?? 0;
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO payments (id, user_id, provider, kind, product, credits, amount, currency, mandate_id, period, attempt)
                VALUES (@rowId, @UserId, 'truelayer', 'renewal', @Plan, @credits, @amount, @Currency, @mandateId, @Period, @Attempt)
                ON CONFLICT (mandate_id, period, attempt) WHERE period IS NOT NULL DO NOTHING
                """, new { rowId = Guid.CreateVersion7(), mandate.UserId, mandate.Plan, credits, amount = mandate.AmountMinor / 100m, mandate.Currency,
                    mandateId = mandate.Id, mandate.Period, mandate.Attempt }, tx, cancellationToken: ct));
        }
        return await connection.QuerySingleAsync<Guid>(new CommandDefinition(
            "SELECT id FROM payments WHERE mandate_id = @Id AND period = @Period AND attempt = @Attempt", mandate, tx, cancellationToken: ct));
    }

    private async Task ChargeAsync(MandateRecord mandate, Guid paymentId, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["amount_in_minor"] = mandate.AmountMinor,
            ["currency"] = mandate.Currency.ToUpperInvariant(),
            ["payment_method"] = new JsonObject
            {
                ["type"] = "mandate",
                ["mandate_id"] = mandate.Id,
                ["reference"] = $"Reelgate {mandate.Plan} {mandate.Period}",
            },
            ["metadata"] = new JsonObject { ["payment_id"] = paymentId.ToString(), ["user_id"] = mandate.UserId.ToString() },
        };
        var key = TrueLayerApi.IdempotencyKey($"mandate-payment:{mandate.Id}:{mandate.Period}:{mandate.Attempt}");
        var result = await api.PostAsync("/v3/payments", body, key, TrueLayerApi.MandatesScope, ct);
        if (result is TlResult.Failed failed)
        {
            logger.LogWarning("Monthly payment {PaymentId} could not be made ({Reason}); tried again after the lease", paymentId, failed.Reason);
            return;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await PaymentStore.LockAsync(connection, tx, paymentId, ct) is not { } payment) return;
        if (result is TlResult.Ok { Body: var created } && TlJson.Text(created, "id") is { } trueLayerId)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE payments SET truelayer_payment_id = coalesce(truelayer_payment_id, @trueLayerId) WHERE id = @paymentId",
                new { trueLayerId, paymentId }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE truelayer_mandates SET due_at = NULL WHERE id = @Id AND period = @Period AND attempt = @Attempt AND status = 'authorized'
                """, mandate, tx, cancellationToken: ct));
            if (TlJson.Text(created, "status") == "failed")
            {
                await payments.FailedAsync(connection, tx, payment, TlJson.Text(created, "failure_reason"), ct);
            }
            logger.LogInformation("Monthly payment {PaymentId} (month {Period}, try {Attempt}) made as TrueLayer payment {TrueLayerPaymentId}",
                paymentId, mandate.Period, mandate.Attempt, trueLayerId);
        }
        else
        {
            await payments.FailedAsync(connection, tx, payment, $"rejected: {result.Describe()}", ct);
        }
        await tx.CommitAsync(ct);
    }

    private async Task RevokeAsync(MandateRecord mandate, CancellationToken ct)
    {
        var result = await api.PostAsync($"/v3/mandates/{Uri.EscapeDataString(mandate.Id)}/revoke", [],
            TrueLayerApi.IdempotencyKey($"mandate-revoke:{mandate.Id}"), TrueLayerApi.MandatesScope, ct);
        if (result is TlResult.Failed failed)
        {
            logger.LogWarning("Mandate {MandateId} could not be revoked ({Reason}); tried again after the lease", mandate.Id, failed.Reason);
            return;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE truelayer_mandates SET status = 'ended', revoke_needed = false, due_at = NULL, revoked_at = coalesce(revoked_at, now()) WHERE id = @Id AND status = 'ending'
            """, mandate, cancellationToken: ct));
    }

    private static Task Postpone(NpgsqlConnection connection, NpgsqlTransaction tx, string id, DateTimeOffset? until, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("UPDATE truelayer_mandates SET due_at = @until WHERE id = @id", new { id, until }, tx, cancellationToken: ct));
}

public sealed class MandateSchedulerService(MandateScheduler scheduler, DatabaseAvailability database, IOptions<TrueLayerOptions> options,
    ILogger<MandateSchedulerService> logger) : PeriodicService(database, logger)
{
    protected override TimeSpan Interval => options.Value.SchedulerInterval;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.IsConfigured ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    protected override Task RunOnceAsync(CancellationToken ct) => scheduler.RunDueAsync(ct);
}
