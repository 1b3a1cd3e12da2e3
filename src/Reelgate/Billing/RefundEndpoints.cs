using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Reelgate.Common;
using Reelgate.Idempotency;
using Stripe;

namespace Reelgate.Billing;

/// <summary>
/// <c>POST /api/v1/admin/payments/{id}/refund</c>: an admin refunds all or part of a Stripe payment through Stripe. The
/// credits come back when Stripe reports the refund (<c>charge.refunded</c>), the one path for refunds made anywhere.
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
        Guid id, RefundRequest? body, HttpContext http, PaymentStore payments, StripeApi stripe, NpgsqlDataSource db, CancellationToken ct)
    {
        if (await payments.GetAsync(id, ct) is not { } payment) return Problems.NotFound("payment");
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
                await using (var connection = await db.OpenConnectionAsync(ct))
                await using (var tx = await connection.BeginTransactionAsync(ct))
                {
                    await Audit.WriteAsync(connection, tx, http.User.UserId(), "payment.refund", "payment", id.ToString(),
                        new { refundId = refund.Id, amount, payment.Currency }, ct);
                    await tx.CommitAsync(ct);
                }
                return TypedResults.Accepted($"/api/v1/payments/{id}", new RefundStarted(refund.Id, refund.Amount / 100m, refund.Currency ?? payment.Currency, refund.Status));
            case StripeResult<Refund>.Rejected { Status: 400 } rejected:
                return NotRefundable($"Stripe refused the refund: {rejected.Message}");
            default:
                return Problems.Create(StatusCodes.Status502BadGateway, "payment-provider-error", "Payment provider error.",
                    $"Stripe did not confirm the refund; repeating the request is safe. {result.Describe()}");
        }
    }

    private static ProblemHttpResult NotRefundable(string detail) =>
        Problems.Create(StatusCodes.Status409Conflict, "payment-not-refundable", "Payment not refundable.", detail);
}
