using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Common;

namespace Reelgate.ApiKeys;

/// <summary>The checks shared by the API and the Keys page when a key is made.</summary>
public static class KeyRequests
{
    public static Validator Validate(string? name, IReadOnlyList<string>? scopes, DateTime? expiresAt, ClaimsPrincipal user, DateTime now)
    {
        var validator = new Validator().Require("name", name).MaxLength("name", name, 100);
        if (scopes is { Count: 0 }) validator.Add("scopes", "must name at least one scope.");
        for (var i = 0; i < (scopes?.Count ?? 0); i++)
        {
            var scope = scopes![i];
            if (!Scopes.IsKnown(scope)) validator.Add($"scopes[{i}]", $"must be one of {string.Join(", ", Scopes.All)}.");
            else if (scope == Scopes.Admin && !user.IsAdmin()) validator.Add($"scopes[{i}]", "'admin' is for admins only.");
        }
        if (expiresAt is { } at && at.ToUniversalTime() <= now) validator.Add("expiresAt", "must be in the future.");
        return validator;
    }

    /// <summary>A key may only make or renew keys that can do no more than itself.</summary>
    public static string? MissingScope(ClaimsPrincipal caller, IEnumerable<string> scopes) =>
        scopes.FirstOrDefault(s => !Scopes.Allows(caller, s));

    public static ProblemHttpResult InsufficientScope(string scope) =>
        Problems.Create(StatusCodes.Status403Forbidden, "insufficient-scope", "Insufficient scope.",
            $"This needs the '{scope}' scope, which the credential used does not have.", new Dictionary<string, object?> { ["scope"] = scope });
}
