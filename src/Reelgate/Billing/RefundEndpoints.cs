using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Reelgate.Billing.TrueLayer;
using Reelgate.Common;
using Reelgate.Idempotency;
using Stripe;

namespace Reelgate.Billing;

/// <summary>
/// <c>POST /api/v1/admin/payments/{id}/refund</c>: an admin refunds all or part of a Stripe or TrueLayer payment through its
/// provider. The credits come back when the provider reports the refund (<c>charge.refunded</c>, <c>refund_executed</c>).
/// </summary>
public static class RefundEndpoints
{
    public sealed record RefundRequest(decimal? Amount);
    public sealed record RefundStarted(string RefundId, decimal Amount, string Currency, string? Status);

    public static IEndpointRouteBuilder MapRefunds(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/admin/payments").WithTags("Admin").RequireAuthorization("admin")
            .MapPost("/{id:guid}/refund", RefundAsync).WithIdempotency();
        return routes;
    }

    private static async Task<Results<Accepted<RefundStarted>, ValidationProblem, ProblemHttpResult>> RefundAsync(
        Guid id, RefundRequest? body, HttpContext http, PaymentStore payments, StripeApi stripe, TrueLayerRefunds trueLayer, NpgsqlDataSource db, CancellationToken ct)
    {
        if (await payments.GetAsync(id, ct) is not { } payment) return Problems.NotFound("payment");
        if (payment is { Provider: BillingOptions.TrueLayer }) return await TrueLayerRefundAsync(payment, body, http, trueLayer, db, ct);
        if (payment is not { Provider: BillingOptions.Stripe, PaymentIntentId: { } paymentIntentId, Status: "paid" })
        {
            return NotRefundable($"Payment {id} is {payment.Status} with {payment.Provider}; only paid Stripe payments with a charge can be refunded here.");
        }
        var remaining = payment.Amount - payment.RefundedAmount;
        var amount = body?.Amount ?? remaining;
        if (amount <= 0 || amount > remaining || decimal.Round(amount, 2) != amount)
        {
            return Problems.Validation("amount", $"must be more than 0 and at most {remaining} {payment.Currency}, with at most two decimals.");
        }

        var minor = BillingCatalog.MinorUnits(amount);
        // The key names the refunded total it starts from, so a repeat before Stripe reports the refund is one refund.
        var key = $"refund:{id}:{BillingCatalog.MinorUnits(payment.RefundedAmount)}:{minor}";
        var metadata = new Dictionary<string, string> { ["payment_id"] = id.ToString(), ["admin_id"] = http.User.UserId().ToString() };
        var result = await stripe.CreateRefundAsync(paymentIntentId, minor, key, metadata, ct);
        switch (result)
        {
            case StripeResult<Refund>.Ok { Value: var refund }:
                await AuditAsync(db, http, id, refund.Id, amount, payment.Currency, ct);
                return TypedResults.Accepted($"/api/v1/payments/{id}", new RefundStarted(refund.Id, refund.Amount / 100m, refund.Currency ?? payment.Currency, refund.Status));
            case StripeResult<Refund>.Rejected { Status: 400 } rejected:
                return NotRefundable($"Stripe refused the refund: {rejected.Message}");
            default:
                return Problems.Create(StatusCodes.Status502BadGateway, "payment-provider-error", "Payment provider error.",
                    $"Stripe did not confirm the refund; repeating the request is safe. {result.Describe()}");
        }
    }

    private static async Task<Results<Accepted<RefundStarted>, ValidationProblem, ProblemHttpResult>> TrueLayerRefundAsync(
        PaymentRecord payment, RefundRequest? body, HttpContext http, TrueLayerRefunds trueLayer, NpgsqlDataSource db, CancellationToken ct)
    {
        if (payment is not { Status: "paid", TrueLayerPaymentId: not null })
        {
            return NotRefundable($"Payment {payment.Id} is {payment.Status}; only settled TrueLayer payments can be refunded.");
        }
        switch (await trueLayer.StartAsync(payment, body?.Amount, ct))
        {
            case TrueLayerRefundResult.Started started:
                await AuditAsync(db, http, payment.Id, started.RefundId, started.Amount, payment.Currency, ct);
                return TypedResults.Accepted($"/api/v1/payments/{payment.Id}", new RefundStarted(started.RefundId, started.Amount, payment.Currency, "pending"));
            case TrueLayerRefundResult.TooMuch tooMuch:
                return Problems.Validation("amount", $"must be more than 0 and at most {tooMuch.Remaining} {payment.Currency}, with at most two decimals.");
            case TrueLayerRefundResult.Refused refused:
                return NotRefundable($"TrueLayer refused the refund: {refused.Detail}");
            case var other:
                return Problems.Create(StatusCodes.Status502BadGateway, "payment-provider-error", "Payment provider error.",
                    $"TrueLayer did not confirm the refund; repeating the request is safe. {(other as TrueLayerRefundResult.Unavailable)?.Reason}");
        }
    }

    private static async Task AuditAsync(NpgsqlDataSource db, HttpContext http, Guid id, string refundId, decimal amount, string currency, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await Audit.WriteAsync(connection, tx, http.User.UserId(), "payment.refund", "payment", id.ToString(), new { refundId, amount, currency }, ct);
        await tx.CommitAsync(ct);
    }

    private static ProblemHttpResult NotRefundable(string detail) =>
        Problems.Create(StatusCodes.Status409Conflict, "payment-not-refundable", "Payment not refundable.", detail);
}
