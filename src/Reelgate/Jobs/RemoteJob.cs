namespace Reelgate.Jobs;

/// <summary>A remote job as the poller claims it: the job, its link upstream, its backoff, and when the claim was made.</summary>
public sealed record RemoteJob(
    Guid Id, Guid UserId, string Kind, string Status, float Progress, string Provider, string Request, decimal Quote,
    int Attempts, int MaxAttempts, string? CallbackUrl, DateTime CreatedAt,
    string? UpstreamId, string? UpstreamStatus, DateTime? UpstreamSubmittedAt, int PollStep, DateTime ClaimedAt)
{
    public const string Columns = """
        id, user_id, kind, status, progress, provider, request::text AS request, quote, attempts, max_attempts, callback_url, created_at,
        upstream_id, upstream_status, upstream_submitted_at, poll_step, now() AS claimed_at
        """;

    public JobRecord ToRecord() => new(Id, UserId, Kind, Status, Progress, Provider, Request, Quote, null, null, null, Attempts, MaxAttempts,
        CallbackUrl, CreatedAt, CreatedAt, null);
}
