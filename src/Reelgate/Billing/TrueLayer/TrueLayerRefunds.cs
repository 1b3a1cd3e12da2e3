using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace Reelgate.Billing.TrueLayer;

public abstract record TrueLayerRefundResult
{
    public sealed record Started(string RefundId, decimal Amount) : TrueLayerRefundResult;
    public sealed record TooMuch(decimal Remaining) : TrueLayerRefundResult;
    public sealed record Refused(string Detail) : TrueLayerRefundResult;
    public sealed record Unavailable(string Reason) : TrueLayerRefundResult;
}

/// <summary>
/// Refunds a settled TrueLayer payment back to the payer (<c>POST /v3/payments/{id}/refunds</c>). The refund is recorded
/// pending; its credits are clawed back when <c>refund_executed</c> arrives, through the same clawback as Stripe's.
/// Refunds not yet failed count against what is left, so two admins cannot refund more than was paid.
/// </summary>
public sealed class TrueLayerRefunds(TrueLayerApi api, NpgsqlDataSource db)
{
    public async Task<TrueLayerRefundResult> StartAsync(PaymentRecord payment, decimal? amount, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var committed = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT coalesce(sum(amount_minor), 0)::bigint FROM truelayer_refunds WHERE payment_id = @Id AND status <> 'failed'", new { payment.Id }, cancellationToken: ct));
        var remaining = BillingCatalog.MinorUnits(payment.Amount) - committed;
        var minor = amount is { } asked ? BillingCatalog.MinorUnits(asked) : remaining;
        if (minor <= 0 || minor > remaining || (amount is { } given && decimal.Round(given, 2) != given)) return new TrueLayerRefundResult.TooMuch(remaining / 100m);

        var body = new JsonObject
        {
            ["amount_in_minor"] = minor,
            ["reference"] = "Reelgate refund",
            ["metadata"] = new JsonObject { ["payment_id"] = payment.Id.ToString() },
        };
        var key = TrueLayerApi.IdempotencyKey($"refund:{payment.Id}:{committed}:{minor}");
        var result = await api.PostAsync($"/v3/payments/{Uri.EscapeDataString(payment.TrueLayerPaymentId!)}/refunds", body, key, TrueLayerApi.PaymentsScope, ct);
        switch (result)
        {
            case TlResult.Ok { Body: var created } when TlJson.Text(created, "id") is { } refundId:
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO truelayer_refunds (id, payment_id, amount_minor) VALUES (@refundId, @Id, @minor) ON CONFLICT (id) DO NOTHING
                    """, new { refundId, payment.Id, minor }, cancellationToken: ct));
                return new TrueLayerRefundResult.Started(refundId, minor / 100m);
            case TlResult.Rejected rejected:
                return new TrueLayerRefundResult.Refused(rejected.Detail);
            default:
                return new TrueLayerRefundResult.Unavailable(result.Describe());
        }
    }

    /// <summary>A refund's outcome from TrueLayer; an executed refund claws back its share of the payment's credits.</summary>
    public static async Task SettleAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string refundId, string status, string? reason, CancellationToken ct)
    {
        var paymentId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("""
            UPDATE truelayer_refunds SET status = @status, failure_reason = @reason, updated_at = now()
            WHERE id = @refundId AND (status = 'pending' OR (status = 'executed' AND @status = 'failed'))
            RETURNING payment_id
            """, new { refundId, status, reason }, tx, cancellationToken: ct));
        if (paymentId is { } id && status == "executed") await RefundClawback.ReconcileAsync(connection, tx, id, ct);
    }
}

/// <summary><c>refund_executed</c>: the money went back to the payer; the refunded share of the credits is taken back.</summary>
public sealed class RefundExecutedHandler(ILogger<RefundExecutedHandler> logger) : ITrueLayerEventHandler
{
    public string EventType => "refund_executed";

    public Task HandleAsync(JsonObject payload, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        if (TlJson.Text(payload, "refund_id") is not { } refundId) return Task.CompletedTask;
        logger.LogInformation("TrueLayer refund {RefundId} executed", refundId);
        return TrueLayerRefunds.SettleAsync(connection, tx, refundId, "executed", null, ct);
    }
}

/// <summary><c>refund_failed</c>: the refund did not reach the payer; no credits are taken and the amount can be refunded again.</summary>
public sealed class RefundFailedHandler(ILogger<RefundFailedHandler> logger) : ITrueLayerEventHandler
{
    public string EventType => "refund_failed";

    public Task HandleAsync(JsonObject payload, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        if (TlJson.Text(payload, "refund_id") is not { } refundId) return Task.CompletedTask;
        logger.LogWarning("TrueLayer refund {RefundId} failed: {FailureReason}", refundId, TlJson.Text(payload, "failure_reason"));
        return TrueLayerRefunds.SettleAsync(connection, tx, refundId, "failed", TlJson.Text(payload, "failure_reason"), ct);
    }
}
