using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Accounts;

namespace Reelgate.Tests.Support;

public sealed record Registered(Guid Id, string Email, string Password, HttpClient Session);

/// <summary>Small helpers for driving the HTTP API the way a client would.</summary>
public static class Api
{
    public static async Task<Registered> RegisterAsync(ReelgateFactory app, string? email = null, string password = "correct horse battery")
    {
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        var client = app.CreateApiClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Registered(body.GetProperty("id").GetGuid(), email, password, client);
    }

    /// <summary>A raw JSON request body, sent exactly as written.</summary>
    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>A signed-in session of a new admin.</summary>
    public static async Task<HttpClient> AdminSessionAsync(WebApplicationFactory<Program> app)
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await app.Services.GetRequiredService<AccountService>().RegisterAsync(email, "admin password 123", "admin", CancellationToken.None);
        var client = app.CreateApiClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "admin password 123" })).StatusCode);
        return client;
    }

    public static async Task<string> CreateKeyAsync(HttpClient session, string name = "test")
    {
        var response = await session.PostAsJsonAsync("/api/v1/keys", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("key").GetString()!;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string slug)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal($"/problems/{slug}", problem.GetProperty("type").GetString());
        return problem;
    }
}
