using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Common;
using Reelgate.Providers.RunPod;
using Reelgate.Providers.Shotstack;

namespace Reelgate.Providers;

public static class ProviderWebhookEndpoints
{
    /// <summary>Maps the unauthenticated callback routes upstreams call: Shotstack's and RunPod's, each checked by its per-job token.</summary>
    public static IEndpointRouteBuilder MapProviders(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/webhook", (string? job, string? token, HttpRequest request, ProviderCallbacks callbacks, CancellationToken ct) =>
            HandleAsync(ShotstackProvider.ProviderName, job, token, request, callbacks, ct)).AllowAnonymous().WithTags("Webhooks");
        routes.MapPost("/webhooks/runpod", (string? job, string? token, HttpRequest request, ProviderCallbacks callbacks, CancellationToken ct) =>
            HandleAsync(RunPodProvider.ProviderName, job, token, request, callbacks, ct)).AllowAnonymous().WithTags("Webhooks");
        return routes;
    }

    private static async Task<Results<Ok, ProblemHttpResult>> HandleAsync(
        string provider, string? job, string? token, HttpRequest request, ProviderCallbacks callbacks, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(ct);
        return await callbacks.HandleAsync(provider, job, token, body, ct) switch
        {
            CallbackOutcome.Accepted => TypedResults.Ok(),
            CallbackOutcome.Retry => Problems.Create(StatusCodes.Status503ServiceUnavailable, "upstream-unavailable", "Try again later.",
                "The callback could not be confirmed with the upstream yet."),
            _ => Problems.NotFound("job for this callback"),
        };
    }
}
