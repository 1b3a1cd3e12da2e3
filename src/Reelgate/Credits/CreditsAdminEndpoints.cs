using Reelgate.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Accounts;
using Reelgate.Common;
using Reelgate.Idempotency;

namespace Reelgate.Credits;

public static class CreditsAdminEndpoints
{
    public sealed record AdjustRequest(decimal? Amount, string? Reason);
    public sealed record AdjustResult(Guid EntryId, decimal Amount, decimal Available, decimal Held);

    public static IEndpointRouteBuilder MapCreditsAdmin(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization("admin").RequireScope(Scopes.Admin);
        group.MapPost("/users/{id:guid}/credits", Adjust).WithIdempotency();
        group.MapGet("/ledger/verify", Verify);
        return routes;
    }

    private static async Task<Results<Ok<AdjustResult>, ValidationProblem, ProblemHttpResult>> Adjust(
        Guid id, AdjustRequest? body, HttpContext http, UserStore users, CreditAdjustments adjustments, CancellationToken ct)
    {
        var validator = AdjustmentRules.Check(body?.Amount, body?.Reason);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);
        if (await users.FindByIdAsync(id, ct) is null) return Problems.NotFound("user");

        var result = await adjustments.AdjustAsync(id, body!.Amount!.Value, body.Reason!.Trim(), http.User.UserId(), LedgerKinds.Adjustment, null, ct);
        return result switch
        {
            LedgerResult.Applied { Entry: var e } => TypedResults.Ok(new AdjustResult(e.Id, e.Amount, e.AvailableAfter, e.HeldAfter)),
            LedgerResult.Insufficient i => Problems.Create(422, "balance-too-low", "Balance too low.",
                $"Removing {i.Required:0.00} credits would make the balance negative; {i.Available:0.00} are available."),
            _ => throw new InvalidOperationException($"Unexpected ledger result {result}"),
        };
    }

    private static async Task<Ok<LedgerReport>> Verify(LedgerVerifier verifier, CancellationToken ct) =>
        TypedResults.Ok(await verifier.VerifyAsync(ct));
}
