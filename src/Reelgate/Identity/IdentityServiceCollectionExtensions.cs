using Microsoft.AspNetCore.Cors.Infrastructure;
using Reelgate.Common;

namespace Reelgate.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// Identities and their linking rules, and CORS for front ends on other origins (<c>Cors:AllowedOrigins</c>). The
    /// authentication schemes themselves are added with <see cref="ExternalSignInSchemes.AddExternalSignIn"/> and
    /// <see cref="JwtIssuers.AddJwtIssuers"/>.
    /// </summary>
    public static IServiceCollection AddIdentityProviders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IdentityStore>();
        services.AddSingleton<ExternalAccounts>();
        var origins = CorsOrigins(configuration);
        services.AddCors(o => o.AddDefaultPolicy(p => ApiCors.Configure(p, origins)));
        services.AddSingleton<ICorsPolicyProvider, ApiCors>();
        return services;
    }

    private static string[] CorsOrigins(IConfiguration configuration)
    {
        var section = configuration.GetSection("Cors:AllowedOrigins");
        var listed = section.Get<string[]>() ?? [];
        var text = section.Value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var origins = listed.Concat(text).Select(o => o.TrimEnd('/')).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        if (origins.FirstOrDefault(o => o == "*" || !Uri.TryCreate(o, UriKind.Absolute, out var uri) || uri.PathAndQuery != "/") is { } bad)
        {
            throw new ConfigurationException($"Cors:AllowedOrigins: '{bad}' is not an exact origin such as https://app.example.com ('*' is never allowed).");
        }
        return origins;
    }
}
