using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Reelgate.Accounts;
using Reelgate.Common;
using Reelgate.Web.Components.Pages;

namespace Reelgate.Identity;

/// <summary>
/// The browser side of external sign-in: a form post starts the provider's flow, the handler's callback
/// (/signin-google, /signin-oidc-{name}) checks state, PKCE and the code, and completion opens the session.
/// </summary>
public static class ExternalSignInEndpoints
{
    private const string CompletePath = "/signin/external/complete";
    private const string ReturnUrlItem = "returnUrl";
    private const string SchemeItem = "scheme";
    private const string LinkItem = "linkUser";

    public static IEndpointRouteBuilder MapExternalSignIn(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/signin/external/{scheme}", (Delegate)StartSignIn).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        routes.MapPost("/account/identities/link/{scheme}", (Delegate)StartLink).WithMetadata(new RequireAntiforgeryTokenAttribute())
            .RequireAuthorization().ExcludeFromDescription();
        routes.MapGet(CompletePath, (Delegate)CompleteAsync).ExcludeFromDescription();
        return routes;
    }

    private static IResult StartSignIn(string scheme, HttpContext http, ExternalProviders providers, [FromForm] string? returnUrl)
    {
        if (http.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true }) return Results.BadRequest();
        if (providers.Find(scheme) is not { } provider) return Results.NotFound();
        return Challenge(provider, SignIn.LocalReturnUrl(returnUrl), null);
    }

    private static IResult StartLink(string scheme, HttpContext http, ExternalProviders providers)
    {
        if (http.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true }) return Results.BadRequest();
        if (providers.Find(scheme) is not { } provider) return Results.NotFound();
        return Challenge(provider, "/account", http.User.UserId());
    }

    private static IResult Challenge(ExternalProvider provider, string returnUrl, Guid? linkUser)
    {
        var properties = new AuthenticationProperties { RedirectUri = CompletePath };
        properties.Items[ReturnUrlItem] = returnUrl;
        properties.Items[SchemeItem] = provider.Scheme;
        if (linkUser is { } id) properties.Items[LinkItem] = id.ToString();
        return Results.Challenge(properties, [provider.Scheme]);
    }

    private static async Task<IResult> CompleteAsync(HttpContext http, ExternalProviders providers, ExternalAccounts accounts, ILoggerFactory loggers)
    {
        var result = await http.AuthenticateAsync(ExternalSignInSchemes.ExternalCookie);
        await http.SignOutAsync(ExternalSignInSchemes.ExternalCookie);
        if (!result.Succeeded || result.Properties?.GetString(SchemeItem) is not { } scheme || providers.Find(scheme) is not { } provider
            || ExternalClaims.Read(result.Principal, provider) is not { } login)
        {
            return Results.LocalRedirect("/signin?error=external-failed");
        }
        var ct = http.RequestAborted;
        var returnUrl = SignIn.LocalReturnUrl(result.Properties.GetString(ReturnUrlItem));
        if (Guid.TryParse(result.Properties.GetString(LinkItem), out var linkUser))
        {
            // The link was started by this user's session; a different (or no) session now must not receive it.
            if (http.User.Identity?.IsAuthenticated != true || http.User.UserId() != linkUser) return Results.LocalRedirect("/signin?error=external-failed");
            var linked = await accounts.LinkAsync(linkUser, login, ct);
            return Results.LocalRedirect(linked is ExternalSignInResult.LinkedElsewhere ? "/account?error=linked-elsewhere" : "/account?linked=" + Uri.EscapeDataString(provider.DisplayName));
        }

        switch (await accounts.SignInAsync(login, provision: true, refuseTakenEmail: true, ct))
        {
            case ExternalSignInResult.SignedIn signedIn:
                await SessionSignIn.SignInAsync(http, signedIn.User, provider.Scheme);
                return Results.LocalRedirect(returnUrl);
            case ExternalSignInResult.EmailTaken:
                loggers.CreateLogger(typeof(ExternalSignInEndpoints)).LogInformation("Refused {Provider} sign-in: unverified email belongs to another account", provider.Scheme);
                return Results.LocalRedirect("/signin?error=email-taken");
            default:
                return Results.LocalRedirect("/signin?error=external-failed");
        }
    }

    /// <summary>A refused callback (bad state, denied consent, failed code exchange) returns to the sign-in page, not an error page.</summary>
    public static Task OnRemoteFailureAsync(RemoteFailureContext context)
    {
        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ExternalSignInEndpoints))
            .LogWarning("External sign-in with {Scheme} failed: {Reason}", context.Scheme.Name, context.Failure?.Message);
        context.Response.Redirect("/signin?error=external-failed");
        context.HandleResponse();
        return Task.CompletedTask;
    }
}
