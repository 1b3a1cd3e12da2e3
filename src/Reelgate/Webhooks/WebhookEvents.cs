using Reelgate.Jobs;

namespace Reelgate.Webhooks;

/// <summary>What a job's final state is announced as; a cancel has its own event, so a receiver acting on job.failed never mistakes a user's cancel for an error.</summary>
public static class WebhookEvents
{
    public const string JobCompleted = "job.completed";
    public const string JobFailed = "job.failed";
    public const string JobCanceled = "job.canceled";
}

/// <summary>The body of every delivery: the event, when it happened, and the job as GET /api/v1/job/{id} returns it.</summary>
public sealed record WebhookPayload(string Type, DateTime Timestamp, JobView Data);
