using Reelgate.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Reelgate.Common;
using Reelgate.Idempotency;
using Reelgate.Jobs;
using Reelgate.Limits;

namespace Reelgate.Shotstack;

/// <summary>Shotstack's Edit API render routes, so Shotstack SDKs work by changing only their base URL.</summary>
public static class ShotstackEndpoints
{
    /// <summary>Stages a Shotstack base URL may name; both render the same way here.</summary>
    public static readonly string[] Stages = ["v1", "stage"];

    public static IEndpointRouteBuilder MapShotstack(this IEndpointRouteBuilder routes)
    {
        foreach (var stage in Stages)
        {
            // Current base URL (/edit/v1) and the legacy one the SDK READMEs still show (/v1).
            foreach (var prefix in new[] { $"/edit/{stage}", $"/{stage}" })
            {
                var group = routes.MapGroup(prefix).WithTags("Shotstack").RequireAuthorization().WithMetadata(ShotstackEnvelopeMarker.Instance);
                group.MapPost("/render", PostRender).RequireScope(Scopes.Render).WithIdempotency().Accepts<object>("application/json");
                group.MapGet("/render/{id}", GetRender).RequireScope(Scopes.JobsRead).CountsAsRead();
                group.MapShotstackTemplates();
                group.MapShotstackProbe();
            }
        }
        routes.MapShotstackServe();
        routes.MapGroup("/api/v1").WithTags("Jobs").RequireAuthorization().MapGet("/render/{id:guid}", GetRenderStatus).RequireScope(Scopes.JobsRead).CountsAsRead();
        return routes;
    }

    private static async Task<JsonHttpResult<ShotstackEnvelope<object>>> PostRender(
        HttpRequest request, RenderSubmission submission, string? provider, CancellationToken ct)
    {
        var (chosen, refusal) = RenderProviders.Resolve(provider, request.HttpContext.RequestServices);
        if (chosen is null) return Error(StatusCodes.Status400BadRequest, $"provider: {refusal}");
        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(ct);
        return Queued(await submission.SubmitAsync(request.HttpContext.User.UserId(), json, ct, chosen));
    }

    /// <summary>The answer to a submitted Edit, from POST /render and POST /templates/render alike.</summary>
    public static JsonHttpResult<ShotstackEnvelope<object>> Queued(SubmitResult result) => result switch
    {
        SubmitResult.Accepted a => Envelope(StatusCodes.Status201Created, new ShotstackQueued("Render Successfully Queued", a.JobId)),
        SubmitResult.Invalid i => Error(StatusCodes.Status400BadRequest, Describe(i.Errors)),
        SubmitResult.InsufficientCredits c => Error(StatusCodes.Status402PaymentRequired,
            $"This render needs {c.Required:0.00} credits; {c.Available:0.00} are available."),
        SubmitResult.TooManyActiveJobs t => Error(StatusCodes.Status429TooManyRequests,
            $"At most {t.Limit} renders may be queued or running at once; wait for one to finish."),
        SubmitResult.OutstandingBalance o => Error(StatusCodes.Status402PaymentRequired,
            $"A refunded payment left {o.Owed:0.00} credits owed; add credits to settle it before rendering."),
        _ => throw new InvalidOperationException($"Unexpected submit result {result}"),
    };

    private static async Task<JsonHttpResult<ShotstackEnvelope<object>>> GetRender(
        string id, string? data, string? merged, HttpContext http, ShotstackRenders renders, CancellationToken ct)
    {
        var render = Guid.TryParse(id, out var renderId)
            ? await renders.GetAsync(renderId, http.User.UserId(), !IsFalse(data), IsTrue(merged), ct)
            : null;
        return render is null
            ? Error(StatusCodes.Status404NotFound, $"No render with id '{id}' exists for this API key.")
            : Envelope(StatusCodes.Status200OK, render);
    }

    private static async Task<Results<Ok<ShotstackEnvelope<ShotstackRender>>, ProblemHttpResult>> GetRenderStatus(
        Guid id, string? data, string? merged, HttpContext http, ShotstackRenders renders, CancellationToken ct)
    {
        var render = await renders.GetAsync(id, http.User.UserId(), IsTrue(data), IsTrue(merged), ct);
        return render is null ? Problems.NotFound("render") : TypedResults.Ok(new ShotstackEnvelope<ShotstackRender>(true, "OK", render));
    }

    public static JsonHttpResult<ShotstackEnvelope<object>> Error(int status, string error) =>
        TypedResults.Json(new ShotstackEnvelope<object>(false, ReasonPhrases.GetReasonPhrase(status), new ShotstackError(error)), statusCode: status);

    public static JsonHttpResult<ShotstackEnvelope<object>> Envelope(int status, object response, string? message = null) =>
        TypedResults.Json(new ShotstackEnvelope<object>(true, message ?? ReasonPhrases.GetReasonPhrase(status), response), statusCode: status);

    /// <summary>"timeline.tracks[0].clips[0].length: must be positive; output.format: …", the readable form Shotstack's clients print.</summary>
    public static string Describe(IDictionary<string, string[]> errors) =>
        string.Join("; ", errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));

    private static bool IsTrue(string? value) => bool.TryParse(value, out var flag) && flag;

    /// <summary>Shotstack's `data` defaults to true, so only an explicit false leaves the Edit out.</summary>
    private static bool IsFalse(string? value) => bool.TryParse(value, out var flag) && !flag;
}
