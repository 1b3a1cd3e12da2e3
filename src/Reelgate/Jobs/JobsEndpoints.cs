using Reelgate.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Common;
using Reelgate.Idempotency;
using Reelgate.Limits;
using Reelgate.Providers;

namespace Reelgate.Jobs;

public static class JobsEndpoints
{
    public sealed record Queued(Guid Id, string Status, QueuedCredits Credits);
    public sealed record QueuedCredits(decimal Held);
    public sealed record JobPage(IReadOnlyList<JobView> Data, string? NextCursor);
    public sealed record VideoLink(string Url, string Source, DateTime ExpiresAt);
    public sealed record VideoList(Guid Id, string Status, IReadOnlyList<VideoLink> Videos);

    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Jobs").RequireAuthorization();
        group.MapPost("/render", SubmitRender).RequireScope(Scopes.Render).WithIdempotency().Accepts<object>("application/json");
        group.MapGet("/job/{id:guid}", GetJob).RequireScope(Scopes.JobsRead).CountsAsRead();
        group.MapGet("/jobs", ListJobs).RequireScope(Scopes.JobsRead).CountsAsRead();
        group.MapPost("/jobs/{id:guid}/cancel", Cancel).RequireScope(Scopes.Render);
        group.MapGet("/videos/{id:guid}", GetVideos).RequireScope(Scopes.JobsRead).CountsAsRead();
        return routes;
    }

    private static async Task<Results<Accepted<Queued>, ValidationProblem, ProblemHttpResult>> SubmitRender(
        HttpRequest request, RenderSubmission submission, string? provider, CancellationToken ct)
    {
        var (chosen, refusal) = RenderProviders.Resolve(provider, request.HttpContext.RequestServices);
        if (chosen is null)
        {
            return Problems.Validation("provider", refusal!);
        }
        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(ct);
        return JobAdmission.ToHttp(await submission.SubmitAsync(request.HttpContext.User.UserId(), json, ct, chosen));
    }

    private static async Task<Results<Ok<JobView>, ValidationProblem, ProblemHttpResult>> GetJob(
        Guid id, HttpContext http, JobStore jobs, JobViews views, JobStatusSignals signals, TimeProvider clock, string? wait, string? since, CancellationToken ct)
    {
        var validator = new Validator();
        var poll = JobLongPoll.Parse(http.Request, wait, since, validator);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);
        var job = poll is null
            ? await jobs.GetAsync(id, http.User.UserId(), ct)
            : await JobLongPoll.WaitAsync(id, http.User.UserId(), poll, jobs, signals, clock, ct);
        if (job is null) return Problems.NotFound("job");
        if (poll is not null) JobLongPoll.MarkApplied(http.Response, poll);
        return TypedResults.Ok(await views.BuildAsync(job, withEvents: true, ct));
    }

    private static async Task<Results<Ok<JobPage>, ValidationProblem>> ListJobs(
        HttpContext http, JobStore jobs, JobViews views, string? status, string? kind, int? limit, string? cursor, CancellationToken ct)
    {
        var validator = new Validator();
        if (status is not null && !JobStatus.All.Contains(status)) validator.Add("status", $"must be one of {string.Join(", ", JobStatus.All)}.");
        if (kind is not null and not ("render" or "generation" or "assembly")) validator.Add("kind", "must be render, generation or assembly.");
        var (size, before) = validator.Page(limit, cursor, 20, 100);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);

        var rows = await jobs.ListAsync(http.User.UserId(), status, kind, before, size + 1, ct);
        var page = await views.BuildManyAsync(rows.Take(size).ToList(), ct);
        return TypedResults.Ok(new JobPage(page, rows.Count > size ? page[^1].Id.ToString() : null));
    }

    private static async Task<Results<Ok<JobView>, ProblemHttpResult>> Cancel(Guid id, HttpContext http, JobFinisher finisher, JobStore jobs, JobViews views, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var canceled = await finisher.CancelAsync(id, userId, ct);
        if (canceled is null) return Problems.NotFound("job");
        if (canceled == false) return Problems.Create(StatusCodes.Status409Conflict, "job-final", "Job already finished.", "A job that is done, failed or canceled cannot be canceled.");
        return TypedResults.Ok(await views.BuildAsync((await jobs.GetAsync(id, userId, ct))!, withEvents: true, ct));
    }

    private static async Task<Results<Ok<VideoList>, ProblemHttpResult>> GetVideos(Guid id, HttpContext http, JobStore jobs, JobViews views, CancellationToken ct)
    {
        var job = await jobs.GetAsync(id, http.User.UserId(), ct);
        if (job is null) return Problems.NotFound("job");
        var links = (await views.OutputLinksAsync(job.Id, ct)).Where(o => o.Kind is "video" or "image" or "audio").Select(o => new VideoLink(o.Url, "storage", o.ExpiresAt)).ToList();
        if (await jobs.ProviderOutputAsync(id, http.User.UserId(), ct) is { } upstream) links.Add(new VideoLink(upstream.Url, "provider", upstream.ExpiresAt));
        return TypedResults.Ok(new VideoList(job.Id, job.Status, links));
    }
}
