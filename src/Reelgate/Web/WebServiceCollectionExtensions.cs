using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Reelgate.Accounts;
using Reelgate.Generation;
using Reelgate.Web.Components.Shared;

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
        var uploadLimit = routes.ServiceProvider.GetRequiredService<IOptions<GenerationOptions>>().Value.MaxImageBytes + ImageUploads.FormOverheadBytes;
        routes.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode().Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<AcceptsImageUploadAttribute>().Any()) endpoint.Metadata.Add(new RequestSizeLimitAttribute(uploadLimit));
        });
        routes.MapPost("/signout", (Delegate)SignOutAsync).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> SignOutAsync(HttpContext http)
    {
        // The antiforgery middleware only records its verdict; endpoints without form parameters must act on it.
        if (http.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true }) return Results.BadRequest();
        await SessionSignIn.SignOutAsync(http);
        return Results.LocalRedirect("/signin");
    }
}
