using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Reelgate.BrowserTests.Support;

/// <summary>
/// Reelgate with Google sign-in pointed at a fake Google OAuth server on this machine: authorize consents at once for
/// <see cref="NextEmail"/>, the token endpoint checks the client secret and the PKCE verifier, userinfo answers
/// for the access token it issued.
/// </summary>
public sealed class GoogleSignInApp : WebApp
{
    private const string ClientId = "browser-client";
    private const string ClientSecret = "browser-secret";
    private readonly ConcurrentDictionary<string, (string Email, string Challenge)> _codes = new();
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private WebApplication? _google;

    public string NextEmail { get; set; } = "";

    public override async Task InitializeAsync()
    {
        // No configuration file watcher: a fake server needs none, and the machine's inotify instances are shared.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _google = builder.Build();
        _google.MapGet("/authorize", (HttpRequest request) =>
        {
            var q = request.Query;
            if (q["client_id"] != ClientId || q["code_challenge_method"] != "S256") return Results.BadRequest();
            var code = Guid.NewGuid().ToString("N");
            _codes[code] = (NextEmail, q["code_challenge"].ToString());
            return Results.Redirect(QueryHelpers.AddQueryString(q["redirect_uri"].ToString(), new Dictionary<string, string?> { ["code"] = code, ["state"] = q["state"] }));
        });
        _google.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var verifier = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            if (form["client_secret"] != ClientSecret || !_codes.TryRemove(form["code"].ToString(), out var grant) || grant.Challenge != verifier)
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }
            var token = Guid.NewGuid().ToString("N");
            _tokens[token] = grant.Email;
            return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = 3600 });
        });
        _google.MapGet("/userinfo", (HttpRequest request) =>
            _tokens.TryGetValue(request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal), out var email)
                ? Results.Json(new { sub = "g-" + email, email, email_verified = true, name = "Browser Person" })
                : Results.StatusCode(401));
        await _google.StartAsync();
        var google = _google.Urls.Single();

        Server.Settings["GOOGLE_CLIENT_ID"] = ClientId;
        Server.Settings["GOOGLE_CLIENT_SECRET"] = ClientSecret;
        Server.Settings["Auth__Google__AuthorizationEndpoint"] = google + "/authorize";
        Server.Settings["Auth__Google__TokenEndpoint"] = google + "/token";
        Server.Settings["Auth__Google__UserInformationEndpoint"] = google + "/userinfo";
        Server.Settings["Fetch__AllowPrivateNetworks"] = "true";
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_google is not null) await _google.DisposeAsync();
    }
}
