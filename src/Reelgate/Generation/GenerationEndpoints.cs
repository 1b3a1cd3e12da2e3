using Reelgate.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Reelgate.Common;
using Reelgate.Idempotency;
using Reelgate.Jobs;

namespace Reelgate.Generation;

public static class GenerationEndpoints
{
    public static IEndpointRouteBuilder MapGeneration(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Generation").RequireAuthorization().RequireScope(Scopes.Generate);
        group.MapPost("/generate", Generate).WithIdempotency();
        var settings = routes.ServiceProvider.GetRequiredService<IOptions<GenerationOptions>>().Value;
        group.MapPost("/uploads", UploadEndpoint.Upload).WithIdempotency()
            .Accepts<IFormFile>("multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(Math.Max(settings.MaxImageBytes, settings.MaxAudioBytes) + ImageUploads.FormOverheadBytes));
        return routes;
    }

    private static async Task<Results<Accepted<JobsEndpoints.Queued>, ValidationProblem, ProblemHttpResult>> Generate(
        GenerateRequest request, HttpContext http, GenerationSubmission submission, CancellationToken ct)
    {
        return JobAdmission.ToHttp(await submission.SubmitAsync(http.User.UserId(), request, ct));
    }
}
