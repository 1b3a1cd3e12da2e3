using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Reelgate.Billing;
using Reelgate.Common;
using Reelgate.Credits;

namespace Reelgate.Jobs;

/// <summary>
/// What every new job goes through inside its submit transaction: refund debts settled or blocking, the quote held,
/// the per-user active-job limit, then the insert. Any refusal leaves the transaction to roll back.
/// </summary>
public static class JobAdmission
{
    public static async Task<SubmitResult> QueueAsync(NpgsqlConnection connection, NpgsqlTransaction tx, JobRecord job, int maxActive, CancellationToken ct)
    {
        // Credits a refund could not take back are paid from the balance first; what stays owed blocks new jobs.
        if (await Debts.SettleAsync(connection, tx, job.UserId, ct) is > 0 and var owed) return new SubmitResult.OutstandingBalance(owed);
        // The hold locks the account row, which also serialises the active-job count per user.
        var hold = await JobCredits.HoldAsync(connection, tx, job.UserId, job.Id, job.Quote, ct);
        if (hold is LedgerResult.Insufficient insufficient) return new SubmitResult.InsufficientCredits(job.Quote, insufficient.Available);
        if (await JobStore.CountActiveAsync(connection, tx, job.UserId, ct) >= maxActive) return new SubmitResult.TooManyActiveJobs(maxActive);
        await JobStore.InsertAsync(connection, tx, job, ct);
        return new SubmitResult.Accepted(job.Id, job.Quote);
    }

    /// <summary>The API answer for a submission, shared by render and generate.</summary>
    public static Results<Accepted<JobsEndpoints.Queued>, ValidationProblem, ProblemHttpResult> ToHttp(SubmitResult result) => result switch
    {
        SubmitResult.Accepted a => TypedResults.Accepted($"/api/v1/job/{a.JobId}",
            new JobsEndpoints.Queued(a.JobId, JobStatus.Queued, new JobsEndpoints.QueuedCredits(a.Held))),
        SubmitResult.Invalid i => Problems.Validation(i.Errors),
        SubmitResult.InsufficientCredits c => Problems.InsufficientCredits(c.Required, c.Available),
        SubmitResult.TooManyActiveJobs t => Problems.Create(StatusCodes.Status429TooManyRequests, "too-many-active-jobs", "Too many active jobs.",
            $"At most {t.Limit} jobs may be queued or running at once; wait for one to finish."),
        SubmitResult.OutstandingBalance o => Problems.Create(StatusCodes.Status402PaymentRequired, "outstanding-balance", "Outstanding balance.",
            $"A refunded payment left {o.Owed:0.00} credits owed; add credits to settle it before starting new jobs.",
            new Dictionary<string, object?> { ["owed"] = o.Owed }),
        _ => throw new InvalidOperationException($"Unexpected submit result {result}"),
    };
}
