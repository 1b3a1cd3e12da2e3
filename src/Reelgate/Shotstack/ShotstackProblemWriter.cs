using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Reelgate.Common;

namespace Reelgate.Shotstack;

/// <summary>
/// Writes the problems that shared middleware and filters raise (rate limits, Idempotency-Key conflicts, scopes, outages)
/// in Shotstack's envelope on Shotstack routes, since Shotstack SDKs and n8n flows read `response.error`, not problem+json.
/// </summary>
public sealed class ShotstackProblemWriter : IProblemDetailsWriter
{
    /// <remarks>The exception handler clears the endpoint before it writes, so the failed request's endpoint is read from its feature.</remarks>
    public bool CanWrite(ProblemDetailsContext context) =>
        (context.HttpContext.GetEndpoint() ?? context.HttpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint)
            ?.Metadata.GetMetadata<ShotstackEnvelopeMarker>() is not null;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var status = context.ProblemDetails.Status ?? http.Response.StatusCode;
        http.Response.StatusCode = status;
        var envelope = new ShotstackEnvelope<ShotstackError>(false, ReasonPhrases.GetReasonPhrase(status), new ShotstackError(Describe(context.ProblemDetails)));
        return new ValueTask(http.Response.WriteAsJsonAsync(envelope, Json.Options, http.RequestAborted));
    }

    private static string Describe(ProblemDetails problem) =>
        problem is HttpValidationProblemDetails { Errors.Count: > 0 } validation
            ? ShotstackEndpoints.Describe(validation.Errors)
            : problem.Detail ?? problem.Title ?? ReasonPhrases.GetReasonPhrase(problem.Status ?? 500);
}
