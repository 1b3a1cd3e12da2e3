using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.ApiKeys;
using Reelgate.Common;
using Reelgate.Limits;

namespace Reelgate.Shotstack;

/// <summary>Shotstack's Serve API over our stored outputs, for SDKs whose ServeApi client uses the base path /serve/{stage}.</summary>
public static class ShotstackServeEndpoints
{
    public static IEndpointRouteBuilder MapShotstackServe(this IEndpointRouteBuilder routes)
    {
        foreach (var stage in ShotstackEndpoints.Stages)
        {
            var group = routes.MapGroup($"/serve/{stage}").WithTags("Shotstack").RequireAuthorization().WithMetadata(ShotstackEnvelopeMarker.Instance);
            group.MapGet("/assets/{id}", GetAsset).RequireScope(Scopes.JobsRead).CountsAsRead();
            group.MapGet("/assets/render/{id}", GetRenderAssets).RequireScope(Scopes.JobsRead).CountsAsRead();
            group.MapDelete("/assets/{id}", DeleteAsset).RequireScope(Scopes.Render);
        }
        return routes;
    }

    private static async Task<Results<Ok<ShotstackServeData<ShotstackAsset>>, JsonHttpResult<ShotstackEnvelope<object>>>> GetAsset(
        string id, HttpContext http, ShotstackAssets assets, CancellationToken ct)
    {
        var asset = Guid.TryParse(id, out var assetId) ? await assets.GetAsync(http.User.UserId(), assetId, ct) : null;
        return asset is null ? NotFound("asset", id) : TypedResults.Ok(new ShotstackServeData<ShotstackAsset>(asset));
    }

    private static async Task<Results<Ok<ShotstackServeData<IReadOnlyList<ShotstackAsset>>>, JsonHttpResult<ShotstackEnvelope<object>>>> GetRenderAssets(
        string id, HttpContext http, ShotstackAssets assets, CancellationToken ct)
    {
        var list = Guid.TryParse(id, out var renderId) ? await assets.ForRenderAsync(http.User.UserId(), renderId, ct) : null;
        return list is null ? NotFound("render", id) : TypedResults.Ok(new ShotstackServeData<IReadOnlyList<ShotstackAsset>>(list));
    }

    private static async Task<Results<NoContent, JsonHttpResult<ShotstackEnvelope<object>>>> DeleteAsset(
        string id, HttpContext http, ShotstackAssets assets, CancellationToken ct) =>
        Guid.TryParse(id, out var assetId) && await assets.DeleteAsync(http.User.UserId(), assetId, ct)
            ? TypedResults.NoContent()
            : NotFound("asset", id);

    private static JsonHttpResult<ShotstackEnvelope<object>> NotFound(string what, string id) =>
        ShotstackEndpoints.Error(StatusCodes.Status404NotFound, $"No {what} with id '{id}' exists for this API key.");
}
