using Reelgate.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Common;
using Reelgate.Fetch;

namespace Reelgate.Webhooks;

public static class WebhooksEndpoints
{
    public sealed record PutEndpointRequest(string? Url, bool? RotateSecret);
    public sealed record EndpointView(string Url, string Secret, DateTime CreatedAt, DateTime UpdatedAt, DateTime? DisabledAt, string? DisabledReason);
    public sealed record AttemptView(DateTime At, int? StatusCode, int LatencyMs, string? Error);
    public sealed record DeliveryView(Guid Id, string Event, Guid? JobId, string Status, IReadOnlyList<AttemptView> Attempts,
        DateTime? NextAttemptAt, DateTime? DeliveredAt, string? Failure, DateTime CreatedAt);
    public sealed record DeliveryPage(IReadOnlyList<DeliveryView> Data, string? NextCursor);

    private const int MaxUrlLength = 2048;

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Webhooks").RequireAuthorization().RequireScope(Scopes.Webhooks);
        group.MapPut("/webhook-endpoint", PutEndpoint);
        group.MapGet("/webhook-endpoint", GetEndpoint);
        group.MapDelete("/webhook-endpoint", DeleteEndpoint);
        group.MapGet("/webhook-deliveries", ListDeliveries);
        return routes;
    }

    private static async Task<Results<Ok<EndpointView>, ValidationProblem>> PutEndpoint(
        PutEndpointRequest? body, HttpContext http, UrlGuard guard, WebhookEndpointStore store, CancellationToken ct)
    {
        var validator = new Validator().Require("url", body?.Url).MaxLength("url", body?.Url, MaxUrlLength);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);
        if (!Uri.TryCreate(body!.Url!.Trim(), UriKind.Absolute, out var url)) return Problems.Validation("url", "must be an absolute http or https URL.");
        var check = await guard.ValidateAsync(url, ct);
        if (!check.IsAllowed) return Problems.Validation("url", check.Reason!);

        var endpoint = await store.PutAsync(http.User.UserId(), url.AbsoluteUri, body.RotateSecret == true, ct);
        return TypedResults.Ok(View(endpoint));
    }

    private static async Task<Results<Ok<EndpointView>, ProblemHttpResult>> GetEndpoint(HttpContext http, WebhookEndpointStore store, CancellationToken ct) =>
        await store.GetAsync(http.User.UserId(), ct) is { } endpoint ? TypedResults.Ok(View(endpoint)) : NoEndpoint();

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteEndpoint(HttpContext http, WebhookEndpointStore store, CancellationToken ct) =>
        await store.DeleteAsync(http.User.UserId(), ct) ? TypedResults.NoContent() : NoEndpoint();

    private static async Task<Results<Ok<DeliveryPage>, ValidationProblem>> ListDeliveries(
        HttpContext http, WebhookDeliveryLog log, int? limit, string? cursor, CancellationToken ct)
    {
        var validator = new Validator();
        var (size, before) = validator.Page(limit, cursor, 20, 100);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);

        var (rows, attempts) = await log.ListAsync(http.User.UserId(), before, size + 1, ct);
        var page = rows.Take(size).Select(d => new DeliveryView(d.Id, d.Event, d.JobId, d.State,
            attempts[d.Id].Select(a => new AttemptView(a.At, a.StatusCode, a.LatencyMs, a.Error)).ToList(),
            d.State == "pending" ? d.NextAttemptAt : null, d.DeliveredAt, d.Failure, d.CreatedAt)).ToList();
        return TypedResults.Ok(new DeliveryPage(page, rows.Count > size ? page[^1].Id.ToString() : null));
    }

    private static EndpointView View(WebhookEndpoint e) => new(e.Url, e.Secret, e.CreatedAt, e.UpdatedAt, e.DisabledAt, e.DisabledReason);

    private static ProblemHttpResult NoEndpoint() =>
        Problems.Create(StatusCodes.Status404NotFound, "not-found", "Not found.", "No webhook endpoint is registered; PUT one first.");
}
