using Reelgate.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Accounts;
using Reelgate.Common;
using Reelgate.Idempotency;

namespace Reelgate.Credits;

public static class CreditsEndpoints
{
    public sealed record CreditsView(decimal Available, decimal Held, string? Plan);
    public sealed record LedgerEntryView(Guid Id, string Kind, decimal Amount, decimal HeldAmount, decimal AvailableAfter, decimal HeldAfter,
        Guid? JobId, Guid? PaymentId, string? Reason, DateTime CreatedAt);
    public sealed record LedgerPage(IReadOnlyList<LedgerEntryView> Data, string? NextCursor);
    public sealed record RedeemRequest(string? Code);
    /// <summary>Granted now, and pending until the account's first purchase (by default) is fulfilled.</summary>
    public sealed record RedeemResult(decimal Granted, decimal Pending);

    public static IEndpointRouteBuilder MapCredits(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/credits").WithTags("Credits").RequireAuthorization().RequireScope(Scopes.Billing);
        group.MapGet("/", GetCredits);
        group.MapGet("/ledger", GetLedger);
        group.MapPost("/redeem-referral", RedeemReferral).WithIdempotency();
        return routes;
    }

    private static async Task<Ok<CreditsView>> GetCredits(HttpContext http, Ledger ledger, CancellationToken ct)
    {
        var summary = await ledger.GetSummaryAsync(http.User.UserId(), ct);
        return TypedResults.Ok(new CreditsView(summary?.Available ?? 0, summary?.Held ?? 0, summary?.Plan));
    }

    private static async Task<Results<Ok<LedgerPage>, ValidationProblem>> GetLedger(HttpContext http, Ledger ledger, int? limit, string? cursor, string? kind, CancellationToken ct)
    {
        var validator = new Validator();
        var (size, before) = validator.Page(limit, cursor, 50, 200);
        if (kind is not null && !LedgerKinds.All.Contains(kind)) validator.Add("kind", $"must be one of {string.Join(", ", LedgerKinds.All)}.");
        if (!validator.IsValid) return Problems.Validation(validator.Errors);

        var rows = await ledger.ListAsync(http.User.UserId(), size + 1, before, kind, ct);
        var page = rows.Take(size).Select(e => new LedgerEntryView(e.Id, e.Kind, e.Amount, e.HeldAmount, e.AvailableAfter, e.HeldAfter, e.JobId, e.PaymentId, e.Reason, e.CreatedAt)).ToList();
        return TypedResults.Ok(new LedgerPage(page, rows.Count > size ? page[^1].Id.ToString() : null));
    }

    private static async Task<Results<Ok<RedeemResult>, ValidationProblem, ProblemHttpResult>> RedeemReferral(RedeemRequest? body, HttpContext http, Referrals referrals, CancellationToken ct)
    {
        var validator = new Validator().Require("code", body?.Code).MaxLength("code", body?.Code, 32);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);
        return await referrals.RedeemAsync(http.User.UserId(), body!.Code!, ct) switch
        {
            Referrals.Outcome.Granted => TypedResults.Ok(new RedeemResult(referrals.Credits, 0)),
            Referrals.Outcome.Pending => TypedResults.Ok(new RedeemResult(0, referrals.Credits)),
            Referrals.Outcome.OwnCode => Problems.Create(422, "referral-own-code", "Own referral code.", "You cannot redeem your own referral code."),
            Referrals.Outcome.AlreadyRedeemed => Problems.Create(422, "referral-already-redeemed", "Referral already redeemed.", "This account has already redeemed a referral code."),
            _ => Problems.Create(422, "referral-code-unknown", "Unknown referral code.", "No user has that referral code."),
        };
    }
}
