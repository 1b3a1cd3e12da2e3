using Dapper;
using Npgsql;

namespace Reelgate.Billing;

public static class PaymentKinds
{
    public const string Pack = "pack";
    public const string Plan = "plan";
    public const string Renewal = "renewal";
}

public sealed record PaymentRecord(
    Guid Id, Guid UserId, string Provider, string Kind, string Product, decimal Credits, decimal Amount, string Currency, string Status,
    string? CheckoutSessionId, string? PaymentIntentId, string? InvoiceId, string? SubscriptionId, decimal RefundedAmount, decimal ClawedBack,
    DateTime CreatedAt, DateTime? PaidAt, string? TrueLayerPaymentId = null, string? FailureReason = null, string? MandateId = null,
    int? Period = null, int? Attempt = null);

/// <summary>The payments table: pending checkouts, paid packs and plans, subscription invoices.</summary>
public sealed class PaymentStore(NpgsqlDataSource db)
{
    private const string Columns = """
        id, user_id, provider, kind, product, credits, amount, currency, status, checkout_session_id, payment_intent_id,
        invoice_id, subscription_id, refunded_amount, clawed_back, created_at, paid_at, truelayer_payment_id, failure_reason,
        mandate_id, period, attempt
        """;

    public async Task InsertPendingAsync(Guid id, Guid userId, string provider, string kind, string product, decimal credits, decimal amount, string currency, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO payments (id, user_id, provider, kind, product, credits, amount, currency)
            VALUES (@id, @userId, @provider, @kind, @product, @credits, @amount, @currency)
            """, new { id, userId, provider, kind, product, credits, amount, currency }, cancellationToken: ct));
    }

    public async Task SetCheckoutSessionAsync(Guid id, string sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE payments SET checkout_session_id = @sessionId WHERE id = @id AND checkout_session_id IS NULL", new { id, sessionId }, cancellationToken: ct));
    }

    /// <summary>A checkout that could not be opened: the pending row is closed as failed.</summary>
    public async Task MarkFailedAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await MarkFailedAsync(connection, null, id, ct);
    }

    public static Task MarkFailedAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid id, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE payments SET status = 'failed' WHERE id = @id AND status = 'pending'", new { id }, tx, cancellationToken: ct));

    public async Task<PaymentRecord?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PaymentRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM payments WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>Newest first; the cursor is the last id of the previous page (ids are time-ordered).</summary>
    public async Task<IReadOnlyList<PaymentRecord>> ListAsync(Guid userId, Guid? before, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<PaymentRecord>(new CommandDefinition($"""
            SELECT {Columns} FROM payments WHERE user_id = @userId AND (@before::uuid IS NULL OR id < @before)
            ORDER BY id DESC LIMIT @limit
            """, new { userId, before, limit }, cancellationToken: ct));
        return rows.AsList();
    }

    public static Task<PaymentRecord?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<PaymentRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM payments WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));

    public static Task<PaymentRecord?> LockByInvoiceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string invoiceId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<PaymentRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM payments WHERE invoice_id = @invoiceId FOR UPDATE", new { invoiceId }, tx, cancellationToken: ct));

    public static Task<PaymentRecord?> LockByTrueLayerIdAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string trueLayerPaymentId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<PaymentRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM payments WHERE truelayer_payment_id = @trueLayerPaymentId FOR UPDATE", new { trueLayerPaymentId }, tx, cancellationToken: ct));

    public static Task<PaymentRecord?> LockByPaymentIntentAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string paymentIntentId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<PaymentRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM payments WHERE payment_intent_id = @paymentIntentId FOR UPDATE", new { paymentIntentId }, tx, cancellationToken: ct));

    /// <summary>Marks a payment paid (a failed one too: the money arrived after all) and fills in what the provider reported.</summary>
    public static Task MarkPaidAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, string? sessionId, string? paymentIntentId,
        string? invoiceId, string? subscriptionId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            UPDATE payments SET
                status = CASE WHEN status IN ('pending', 'failed') THEN 'paid' ELSE status END,
                paid_at = coalesce(paid_at, now()),
                checkout_session_id = coalesce(checkout_session_id, @sessionId),
                payment_intent_id = coalesce(payment_intent_id, @paymentIntentId),
                invoice_id = coalesce(invoice_id, @invoiceId),
                subscription_id = coalesce(subscription_id, @subscriptionId)
            WHERE id = @id
            """, new { id, sessionId, paymentIntentId, invoiceId, subscriptionId }, tx, cancellationToken: ct));

    public static Task AttachSubscriptionAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, string? sessionId, string subscriptionId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            UPDATE payments SET checkout_session_id = coalesce(checkout_session_id, @sessionId), subscription_id = coalesce(subscription_id, @subscriptionId)
            WHERE id = @id
            """, new { id, sessionId, subscriptionId }, tx, cancellationToken: ct));

    public static Task InsertPaidAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PaymentRecord payment, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO payments (id, user_id, provider, kind, product, credits, amount, currency, status, payment_intent_id, invoice_id, subscription_id, paid_at)
            VALUES (@Id, @UserId, @Provider, @Kind, @Product, @Credits, @Amount, @Currency, 'paid', @PaymentIntentId, @InvoiceId, @SubscriptionId, now())
            """, payment, tx, cancellationToken: ct));
}
