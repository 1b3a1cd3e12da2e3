using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.ApiKeys;
using Reelgate.Common;
using Reelgate.Idempotency;
using Reelgate.Jobs;

namespace Reelgate.Projects;

/// <summary><c>/api/v1/clips</c>: start a clip from a photo, read it, approve it, regenerate it, delete it.</summary>
public static class ClipsEndpoints
{
    public sealed record ApproveRequest(bool? Approved);

    public static IEndpointRouteBuilder MapClips(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/clips").WithTags("Projects").RequireAuthorization().RequireScope(Scopes.Projects);
        group.MapPost("", Create).WithIdempotency();
        group.MapGet("/{id:guid}", Get);
        group.MapPut("/{id:guid}/approve", Approve);
        group.MapPost("/{id:guid}/regenerate", Regenerate).WithIdempotency();
        group.MapDelete("/{id:guid}", Delete);
        return routes;
    }

    private static async Task<Results<Accepted<ClipView>, ValidationProblem, ProblemHttpResult>> Create(
        ClipRequest request, HttpContext http, ClipSubmission clips, ProjectViews views, CancellationToken ct) =>
        await AnswerAsync(await clips.CreateAsync(http.User.UserId(), request, ct), http, views, ct);

    private static async Task<Results<Ok<ClipView>, ProblemHttpResult>> Get(Guid id, HttpContext http, ProjectViews views, CancellationToken ct) =>
        await views.ClipAsync(http.User.UserId(), id, ct) is { } clip ? TypedResults.Ok(clip) : Problems.NotFound("clip");

    private static async Task<Results<Ok<ClipView>, ValidationProblem, ProblemHttpResult>> Approve(
        Guid id, ApproveRequest request, HttpContext http, ProjectStore projects, ProjectViews views, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var clip = await projects.GetClipAsync(userId, id, ct);
        if (clip is null) return Problems.NotFound("clip");
        if (request.Approved is not { } approved) return Problems.Validation("approved", "is required: true or false.");
        if (!await projects.ApproveAsync(userId, id, approved, ct))
        {
            return Problems.Create(StatusCodes.Status409Conflict, "clip-not-done", "The clip is not done.",
                $"Only a clip that is done can be approved; this one is {clip.Status}.");
        }
        return TypedResults.Ok((await views.ClipAsync(userId, id, ct))!);
    }

    private static async Task<Results<Accepted<ClipView>, ValidationProblem, ProblemHttpResult>> Regenerate(
        Guid id, HttpContext http, ClipSubmission clips, ProjectViews views, CancellationToken ct) =>
        await AnswerAsync(await clips.RegenerateAsync(http.User.UserId(), id, ct), http, views, ct);

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, HttpContext http, ProjectDeletion deletion, CancellationToken ct) =>
        await deletion.DeleteClipAsync(http.User.UserId(), id, ct) ? TypedResults.NoContent() : Problems.NotFound("clip");

    private static async Task<Results<Accepted<ClipView>, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        ClipResult result, HttpContext http, ProjectViews views, CancellationToken ct)
    {
        switch (result)
        {
            case ClipResult.Started started:
                return TypedResults.Accepted($"/api/v1/clips/{started.ClipId}", (await views.ClipAsync(http.User.UserId(), started.ClipId, ct))!);
            case ClipResult.ProjectNotFound:
                return Problems.NotFound("project");
            case ClipResult.ClipNotFound:
                return Problems.NotFound("clip");
            case ClipResult.StillGenerating:
                return Problems.Create(StatusCodes.Status409Conflict, "clip-generating", "The clip is generating.",
                    "Wait for the clip's current generation to finish before regenerating it.");
            case ClipResult.Refused { Reason: var reason }:
                return JobAdmission.ToHttp(reason).Result switch
                {
                    ValidationProblem validation => validation,
                    ProblemHttpResult problem => problem,
                    _ => throw new InvalidOperationException("A refused clip was accepted."),
                };
            default:
                throw new InvalidOperationException($"Unexpected clip result {result}");
        }
    }
}
