using System.Security.Claims;
using Reelgate.Common;

namespace Reelgate.ApiKeys;

/// <summary>What a key or an external token may do. Signed-in browser sessions may do everything their role allows.</summary>
public static class Scopes
{
    public const string Render = "render";
    public const string Generate = "generate";
    public const string JobsRead = "jobs:read";
    public const string Projects = "projects";
    public const string Billing = "billing";
    public const string Webhooks = "webhooks";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Render, Generate, JobsRead, Projects, Billing, Webhooks, Admin];

    /// <summary>A key created without a list gets these; admin work is always asked for by name.</summary>
    public static readonly IReadOnlyList<string> Default = [Render, Generate, JobsRead, Projects, Billing, Webhooks];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);

    /// <summary>The scopes an account of this role may hold.</summary>
    public static IReadOnlyList<string> For(string role) => role == "admin" ? All : Default;

    /// <summary>Requests authenticated by a key or a token carry their scopes as claims; sessions carry none and are not limited.</summary>
    public static bool IsLimited(ClaimsPrincipal user) => user.HasClaim(c => c.Type == ClaimNames.ScopeLimited);

    public static bool Allows(ClaimsPrincipal user, string scope) => !IsLimited(user) || user.HasClaim(ClaimNames.Scope, scope);

    public static IEnumerable<Claim> Claims(IEnumerable<string> scopes) =>
        scopes.Select(s => new Claim(ClaimNames.Scope, s)).Prepend(new Claim(ClaimNames.ScopeLimited, "true"));
}

/// <summary>Endpoint metadata naming the scope a key needs.</summary>
public sealed record RequiredScope(string Scope);

public static class RequiredScopeExtensions
{
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScope(scope));
}

/// <summary>Refuses a key or token that lacks the scope its endpoint names (the innermost one wins).</summary>
public sealed class ScopeMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>() is { } required
            && context.User.Identity?.IsAuthenticated == true
            && !Scopes.Allows(context.User, required.Scope))
        {
            return ProblemWriter.WriteAsync(context, StatusCodes.Status403Forbidden, "insufficient-scope", "Insufficient scope.",
                $"This needs the '{required.Scope}' scope, which the credential used does not have.",
                new Dictionary<string, object?> { ["scope"] = required.Scope });
        }
        return next(context);
    }
}
