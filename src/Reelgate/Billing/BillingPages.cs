using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Common;

namespace Reelgate.Billing;

/// <summary>
/// The sandbox checkout page (clearly TEST MODE) and the page Stripe returns the browser to. The page's form
/// carries a token protected for that payment, so only a form this server rendered can complete it.
/// </summary>
public static class BillingPages
{
    private const string TokenPurpose = "Reelgate.Billing.SandboxCheckout";
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    public static IEndpointRouteBuilder MapBillingPages(this IEndpointRouteBuilder routes)
    {
        var pages = routes.MapGroup("/billing").WithTags("Billing").AllowAnonymous().ExcludeFromDescription();
        pages.MapGet("/sandbox/checkout/{paymentId:guid}", ShowCheckout);
        pages.MapPost("/sandbox/checkout/{paymentId:guid}", CompleteCheckout).DisableAntiforgery();
        pages.MapGet("/return", ShowReturn);
        return routes;
    }

    private static async Task<ContentHttpResult> ShowCheckout(Guid paymentId, BillingCatalog catalog, PaymentStore payments,
        IDataProtectionProvider protection, HttpResponse response, CancellationToken ct)
    {
        if (!catalog.IsSandbox || await payments.GetAsync(paymentId, ct) is not { Provider: BillingOptions.Sandbox } payment)
        {
            return Page(response, StatusCodes.Status404NotFound, "Not found", "<p>No test checkout with that id.</p>");
        }
        var what = payment.Kind == PaymentKinds.Pack
            ? $"{Money(payment.Credits)} credits"
            : $"the {payment.Product} plan ({Money(payment.Credits)} credits a month)";
        if (payment.Status != "pending")
        {
            return Page(response, StatusCodes.Status200OK, "Checkout", $"<p>This payment for {Html(what)} is {Html(payment.Status)}.</p>");
        }
        var token = Protector(protection).Protect(paymentId.ToString(), TokenLifetime);
        return Page(response, StatusCodes.Status200OK, "Checkout", $"""
            <p>Buy {Html(what)} for {Html(Money(payment.Amount))} {Html(payment.Currency.ToUpperInvariant())}.</p>
            <p>No money moves: this button grants the credits as if the payment had succeeded.</p>
            <form method="post" action="/billing/sandbox/checkout/{paymentId}">
              <input type="hidden" name="token" value="{Html(token)}">
              <button type="submit">Complete test payment</button>
            </form>
            """);
    }

    private static async Task<Results<RedirectHttpResult, ContentHttpResult>> CompleteCheckout(Guid paymentId, HttpRequest request, BillingCatalog catalog,
        PaymentStore payments, SandboxCheckout sandbox, IDataProtectionProvider protection, CancellationToken ct)
    {
        if (!catalog.IsSandbox || await payments.GetAsync(paymentId, ct) is not { Provider: BillingOptions.Sandbox } payment)
        {
            return Page(request.HttpContext.Response, StatusCodes.Status404NotFound, "Not found", "<p>No test checkout with that id.</p>");
        }
        var (form, _) = await Forms.ReadAsync(request, ct);
        if (!TokenMatches(protection, form?["token"].ToString(), paymentId))
        {
            return Page(request.HttpContext.Response, StatusCodes.Status400BadRequest, "Checkout expired",
                $"""<p>This form is no longer valid. <a href="/billing/sandbox/checkout/{paymentId}">Open the checkout again</a>.</p>""");
        }
        await sandbox.CompleteAsync(payment, ct);
        return TypedResults.Redirect($"/billing/return?payment={paymentId}");
    }

    private static ContentHttpResult ShowReturn(string? canceled, BillingCatalog catalog, HttpResponse response) =>
        canceled is "true"
            ? Page(response, StatusCodes.Status200OK, "Payment canceled", "<p>Nothing was charged. You can close this page.</p>", catalog.IsSandbox)
            : Page(response, StatusCodes.Status200OK, "Thank you",
                """
                <p>Your payment is being confirmed; the credits appear on your account in a moment.</p>
                <p><a href="/billing">Back to billing</a></p>
                """, catalog.IsSandbox);

    private static bool TokenMatches(IDataProtectionProvider protection, string? token, Guid paymentId)
    {
        if (string.IsNullOrEmpty(token)) return false;
        try
        {
            return Protector(protection).Unprotect(token) == paymentId.ToString();
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static ITimeLimitedDataProtector Protector(IDataProtectionProvider protection) =>
        protection.CreateProtector(TokenPurpose).ToTimeLimitedDataProtector();

    private static ContentHttpResult Page(HttpResponse response, int status, string title, string body, bool testMode = true)
    {
        response.Headers.XFrameOptions = "DENY";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";
        response.Headers.CacheControl = "no-store";
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Html(title)}} · Reelgate</title>
            <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
            .test{background:#b00020;color:#fff;font-weight:700;padding:.5rem 1rem;border-radius:.25rem;letter-spacing:.05em}
            button{font-size:1rem;padding:.6rem 1.2rem}</style></head>
            <body>{{(testMode ? """<p class="test">TEST MODE · sandbox payments, no real money</p>""" : "")}}<h1>{{Html(title)}}</h1>
            {{body}}
            </body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    private static string Html(string value) => HtmlEncoder.Default.Encode(value);

    private static string Money(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
