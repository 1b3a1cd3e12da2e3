using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Reelgate.Common;

namespace Reelgate.Shotstack;

/// <summary>Marks endpoints whose authentication failures and refused input are answered in Shotstack's envelope.</summary>
public sealed class ShotstackEnvelopeMarker : IValidationRefusal
{
    public static readonly ShotstackEnvelopeMarker Instance = new();

    public IResult Refuse(IDictionary<string, string[]> errors) =>
        ShotstackEndpoints.Error(StatusCodes.Status400BadRequest, ShotstackEndpoints.Describe(errors));
}

/// <summary>
/// Answers 401/403 on Shotstack routes with the Shotstack envelope instead of challenging, because the
/// schemes' challenges write problem+json (or redirect) which Shotstack SDKs cannot read. Other routes are unchanged.
/// </summary>
public sealed class ShotstackAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || context.GetEndpoint()?.Metadata.GetMetadata<ShotstackEnvelopeMarker>() is null)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        if (authorizeResult.Forbidden)
        {
            await ShotstackEndpoints.Error(StatusCodes.Status403Forbidden, "This API key may not use this endpoint.").ExecuteAsync(context);
            return;
        }
        var failure = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Failure?.Message;
        var error = failure ?? "Send your API key in the x-api-key header.";
        await ShotstackEndpoints.Error(StatusCodes.Status401Unauthorized, error).ExecuteAsync(context);
    }
}
