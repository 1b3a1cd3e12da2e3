using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Reelgate.Web;

public static class WebServiceCollectionExtensions
{
    public static IServiceCollection AddWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "reelgate_antiforgery";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        return services;
    }

    /// <summary>The Blazor pages, their static files, and sign-out (a form post, so it carries an antiforgery token).</summary>
    public static IEndpointRouteBuilder MapWeb(this IEndpointRouteBuilder routes)
    {
        routes.MapStaticAssets();
        routes.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode();
        routes.MapPost("/signout", (Delegate)SignOutAsync).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> SignOutAsync(HttpContext http)
    {
        // The antiforgery middleware only records its verdict; endpoints without form parameters must act on it.
        if (http.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true }) return Results.BadRequest();
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.LocalRedirect("/signin");
    }
}
