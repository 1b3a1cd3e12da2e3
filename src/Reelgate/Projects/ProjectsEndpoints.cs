using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Reelgate.ApiKeys;
using Reelgate.Common;
using Reelgate.Idempotency;
using Reelgate.Jobs;

namespace Reelgate.Projects;

/// <summary><c>/api/v1/projects</c>: create, list, read, update (title, music, clip order), delete and assemble.</summary>
public static class ProjectsEndpoints
{
    public sealed record CreateProjectRequest(string? Title, string? MusicUrl, Guid? MusicUploadId);
    public sealed record UpdateProjectRequest(string? Title, string? MusicUrl, Guid? MusicUploadId, bool? RemoveMusic, List<Guid>? ClipOrder);
    public sealed record ProjectPage(IReadOnlyList<ProjectSummaryView> Data, string? NextCursor);

    public static IEndpointRouteBuilder MapProjects(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/projects").WithTags("Projects").RequireAuthorization().RequireScope(Scopes.Projects);
        group.MapPost("", Create).WithIdempotency();
        group.MapGet("", List);
        group.MapGet("/{id:guid}", Get);
        group.MapPut("/{id:guid}", Update);
        group.MapDelete("/{id:guid}", Delete);
        group.MapPost("/{id:guid}/assemble", Assemble).WithIdempotency();
        routes.MapClips();
        return routes;
    }

    private static async Task<Results<Created<ProjectView>, ValidationProblem>> Create(
        CreateProjectRequest request, HttpContext http, ProjectStore projects, ProjectMusic music, ProjectViews views, ProjectDeletion deletion,
        IOptions<ProjectsOptions> options, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var validator = new Validator();
        var title = CheckTitle(validator, request.Title, options.Value, required: true);
        if (request.MusicUrl is not null && request.MusicUploadId is not null) validator.Add("musicUploadId", "cannot be combined with musicUrl; send one.");
        if (!validator.IsValid) return Problems.Validation(validator.Errors);

        var project = await projects.CreateAsync(userId, title!, ct);
        if ((request.MusicUrl is not null || request.MusicUploadId is not null)
            && await music.SetAsync(userId, project.Id, request.MusicUrl, request.MusicUploadId, ct) is { } refused)
        {
            // A project whose music was refused is not left behind half made.
            await deletion.DeleteProjectAsync(userId, project.Id, CancellationToken.None);
            return Problems.Validation(refused.Path, refused.Message);
        }
        return TypedResults.Created($"/api/v1/projects/{project.Id}", await views.ProjectAsync(userId, project.Id, ct));
    }

    private static async Task<Results<Ok<ProjectPage>, ValidationProblem>> List(
        HttpContext http, ProjectStore projects, ProjectViews views, int? limit, string? cursor, CancellationToken ct)
    {
        var validator = new Validator();
        var (size, before) = validator.Page(limit, cursor, 20, 100);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);
        var rows = await projects.ListAsync(http.User.UserId(), before, size + 1, ct);
        var page = await views.SummariesAsync(rows.Take(size).ToList(), ct);
        return TypedResults.Ok(new ProjectPage(page, rows.Count > size ? page[^1].Id.ToString() : null));
    }

    private static async Task<Results<Ok<ProjectView>, ProblemHttpResult>> Get(Guid id, HttpContext http, ProjectViews views, CancellationToken ct) =>
        await views.ProjectAsync(http.User.UserId(), id, ct) is { } project ? TypedResults.Ok(project) : Problems.NotFound("project");

    private static async Task<Results<Ok<ProjectView>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateProjectRequest request, HttpContext http, ProjectStore projects, ProjectMusic music, ProjectViews views,
        IOptions<ProjectsOptions> options, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var project = await projects.GetAsync(userId, id, ct);
        if (project is null) return Problems.NotFound("project");
        var validator = new Validator();
        var title = CheckTitle(validator, request.Title, options.Value, required: false);
        var setsMusic = request.MusicUrl is not null || request.MusicUploadId is not null;
        if (request.MusicUrl is not null && request.MusicUploadId is not null) validator.Add("musicUploadId", "cannot be combined with musicUrl; send one.");
        if (setsMusic && request.RemoveMusic == true) validator.Add("removeMusic", "cannot be combined with new music.");
        if (!validator.IsValid) return Problems.Validation(validator.Errors);
        if (request.ClipOrder is { } order && await ClipOrder.CheckAsync(projects, userId, project.Id, order, ct) is { } wrong) return wrong;

        if (setsMusic && await music.SetAsync(userId, id, request.MusicUrl, request.MusicUploadId, ct) is { } refused)
        {
            return Problems.Validation(refused.Path, refused.Message);
        }
        if (request.RemoveMusic == true) await music.RemoveAsync(userId, id, ct);
        if (title is not null) await projects.RenameAsync(userId, id, title, ct);
        if (request.ClipOrder is { } newOrder) await projects.ReorderAsync(userId, id, newOrder, ct);
        return await views.ProjectAsync(userId, id, ct) is { } view ? TypedResults.Ok(view) : Problems.NotFound("project");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, HttpContext http, ProjectDeletion deletion, CancellationToken ct) =>
        await deletion.DeleteProjectAsync(http.User.UserId(), id, ct) ? TypedResults.NoContent() : Problems.NotFound("project");

    private static async Task<Results<Accepted<JobsEndpoints.Queued>, ValidationProblem, ProblemHttpResult>> Assemble(
        Guid id, AssembleRequest? request, HttpContext http, ProjectAssembly assembly, CancellationToken ct)
    {
        return await assembly.AssembleAsync(http.User.UserId(), id, request ?? new AssembleRequest(null, null, null), ct) switch
        {
            AssembleResult.ProjectNotFound => Problems.NotFound("project"),
            AssembleResult.AlreadyAssembling => Problems.Create(StatusCodes.Status409Conflict, "assembly-running", "Already assembling.",
                "The project is being assembled; wait for that video before assembling again."),
            AssembleResult.Queued { Admission: SubmitResult.Invalid invalid } when invalid.Errors.Keys.Any(k => k.StartsWith("clips", StringComparison.Ordinal)) =>
                Problems.Create(StatusCodes.Status422UnprocessableEntity, "clips-not-ready", "The clips are not ready to assemble.",
                    string.Join(" ", invalid.Errors.SelectMany(e => e.Value)), new Dictionary<string, object?> { ["errors"] = invalid.Errors }),
            AssembleResult.Queued q => JobAdmission.ToHttp(q.Admission).Result switch
            {
                Accepted<JobsEndpoints.Queued> accepted => accepted,
                ValidationProblem validation => validation,
                ProblemHttpResult problem => problem,
                _ => throw new InvalidOperationException("Unexpected admission answer."),
            },
            _ => throw new InvalidOperationException("Unexpected assembly result."),
        };
    }

    private static string? CheckTitle(Validator validator, string? title, ProjectsOptions options, bool required)
    {
        var trimmed = title?.Trim();
        if (required || title is not null)
        {
            if (string.IsNullOrEmpty(trimmed)) validator.Add("title", "is required.");
            else validator.MaxLength("title", trimmed, options.MaxTitleLength);
        }
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
