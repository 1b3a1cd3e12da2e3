using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Reelgate.ApiKeys;
using Reelgate.Common;
using Reelgate.Limits;

namespace Reelgate.Accounts;

public static class AccountsEndpoints
{
    public sealed record RegisterRequest(string? Email, string? Password, string? ReferralCode);
    public sealed record LoginRequest(string? Email, string? Password);
    public sealed record UserSummary(Guid Id, string Email);
    public sealed record Me(Guid Id, string Email, string Role, string? Plan, string ReferralCode);

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup("/api/v1/auth").WithTags("Accounts");
        auth.MapPost("/register", Register).RequireClientRateLimit(ClientAction.Registration);
        auth.MapPost("/login", Login).RequireClientRateLimit(ClientAction.Login);
        auth.MapPost("/logout", (Delegate)Logout);
        routes.MapGet("/api/v1/me", GetMe).WithTags("Accounts").RequireAuthorization();
        return routes;
    }

    private static async Task<Results<Created<UserSummary>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest? body, AccountService accounts, Referrals referrals, IOptions<AccountOptions> options, HttpContext http, CancellationToken ct)
    {
        var min = options.Value.MinPasswordLength;
        var validator = new Validator().Require("email", body?.Email).Require("password", body?.Password);
        if (body?.Email is { Length: > 0 } email && !AccountService.IsEmail(email)) validator.Add("email", "must be an email address.");
        if (body?.Password is { Length: > 0 } password && password.Length < min) validator.Add("password", $"must be at least {min} characters.");
        validator.MaxLength("password", body?.Password, 1024);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);

        var referrer = await referrals.FindReferrerAsync(body!.ReferralCode, ct);
        if (referrer is Referrals.Lookup.Unknown)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "referral-code-unknown", "Unknown referral code.", "No user has that referral code.");
        }

        var result = await accounts.RegisterAsync(body.Email!, body.Password!, "user", ct);
        if (result is not RegisterResult.Created created)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "email-taken", "Email already registered.", "An account with this email already exists.");
        }
        if (referrer is Referrals.Lookup.Found found) await referrals.RedeemAsync(created.User.Id, found.Referrer, ct);
        await SessionSignIn.SignInAsync(http, created.User);
        return TypedResults.Created("/api/v1/me", new UserSummary(created.User.Id, created.User.Email));
    }

    private static async Task<Results<Ok<UserSummary>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest? body, AccountService accounts, HttpContext http, CancellationToken ct)
    {
        var validator = new Validator().Require("email", body?.Email).Require("password", body?.Password);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);

        switch (await accounts.LoginAsync(body!.Email!, body.Password!, ct))
        {
            case LoginResult.Success success:
                await SessionSignIn.SignInAsync(http, success.User);
                return TypedResults.Ok(new UserSummary(success.User.Id, success.User.Email));
            case LoginResult.LockedOut locked:
                var seconds = (int)Math.Ceiling((locked.Until - DateTime.UtcNow).TotalSeconds);
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Problems.Create(StatusCodes.Status423Locked, "account-locked", "Account temporarily locked.",
                    $"Too many failed sign-ins; try again in {seconds} seconds.");
            default:
                return Problems.Create(StatusCodes.Status401Unauthorized, "invalid-credentials", "Invalid email or password.", "The email or password is wrong.");
        }
    }

    private static async Task<NoContent> Logout(HttpContext http)
    {
        await SessionSignIn.SignOutAsync(http);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<Me>, ProblemHttpResult>> GetMe(HttpContext http, UserStore users, CancellationToken ct)
    {
        if (http.Items[typeof(KeyIdentity)] is KeyIdentity key)
        {
            return TypedResults.Ok(new Me(key.UserId, key.Email, key.Role, key.Plan, key.ReferralCode));
        }
        var user = await users.FindByIdAsync(http.User.UserId(), ct);
        return user is null
            ? Problems.NotFound("user")
            : TypedResults.Ok(new Me(user.Id, user.Email, user.Role, user.Plan, user.ReferralCode));
    }
}
