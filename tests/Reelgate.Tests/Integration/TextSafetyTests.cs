using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reelgate.Credits;
using Reelgate.Jobs;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

/// <summary>
/// Text PostgreSQL cannot store (NUL) or UTF-16 cannot represent (lone surrogates) is refused with 400 naming the
/// field, wherever it appears in a request, before anything is charged or written.
/// </summary>
public sealed class TextSafetyTests(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private const decimal Credits = 5m;
    private readonly ReelgateFactory _app = new(db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api" });

    public void Dispose() => _app.Dispose();

    /// <summary>A one-second title; <paramref name="text"/> and <paramref name="extra"/> are raw JSON, escapes and all.</summary>
    private static string TitleEdit(string text, string extra = "") =>
        $$"""{"timeline":{"tracks":[{"clips":[{"asset":{"type":"title","text":"{{text}}"},"start":0,"length":1}]}]},"output":{"format":"mp4","resolution":"sd"}{{extra}}}""";

    public static TheoryData<string, string> BadEdits => new()
    {
        { TitleEdit(@"Hello\u0000"), "timeline.tracks[0].clips[0].asset.text" },
        { TitleEdit(@"Hello \ud800"), "timeline.tracks[0].clips[0].asset.text" },
        { TitleEdit("{{ NAME }}", ""","merge":[{"find":"NAME","replace":"\udc00"}]"""), "merge[0].replace" },
        { TitleEdit("{{ NAME }}", ""","merge":[{"find":"NAME","replace":"Ada\u0000"}]"""), "merge[0].replace" },
        { TitleEdit("Hello", ""","extra":{"deep":[1,"\ud83d"]}"""), "extra.deep[1]" },
        { TitleEdit("Hello", ""","\ud800name":1"""), @"\ud800name" },
        { TitleEdit("Hello", ""","na\u0000me":1"""), @"na\u0000me" },
    };

    private async Task<Registered> UserWithCreditsAsync()
    {
        var user = await Api.RegisterAsync(_app);
        await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, Credits, "test", null, LedgerKinds.Grant, null);
        return user;
    }

    private async Task AssertNothingChargedOrQueuedAsync(Guid userId)
    {
        var balance = await _app.Services.GetRequiredService<Ledger>().GetBalanceAsync(userId);
        Assert.Equal((Credits, 0m), (balance!.Available, balance.Held));
        Assert.Empty(await _app.Services.GetRequiredService<JobStore>().ListAsync(userId, null, null, null, 10, CancellationToken.None));
    }

    private async Task<long> CountAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    private static async Task<JsonElement> AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        return problem;
    }

    [Theory]
    [MemberData(nameof(BadEdits))]
    public async Task Render_WithUnstorableText_Returns400NamingThePath_AndChargesNothing(string edit, string field)
    {
        var user = await UserWithCreditsAsync();

        var response = await user.Session.PostAsync("/api/v1/render", Api.Json(edit));

        await AssertRefusedAsync(response, field);
        await AssertNothingChargedOrQueuedAsync(user.Id);
    }

    [Theory]
    [MemberData(nameof(BadEdits))]
    public async Task ShotstackRender_WithUnstorableText_Returns400EnvelopeNamingThePath_AndChargesNothing(string edit, string field)
    {
        var user = await UserWithCreditsAsync();
        var client = _app.CreateApiClient();
        client.DefaultRequestHeaders.Add("x-api-key", await Api.CreateKeyAsync(user.Session));

        var response = await client.PostAsync("/edit/v1/render", Api.Json(edit));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.StartsWith($"{field}: ", body.GetProperty("response").GetProperty("error").GetString());
        await AssertNothingChargedOrQueuedAsync(user.Id);
    }

    [Fact]
    public async Task Render_WithALoneSurrogate_IsRefusedWithoutAContentType()
    {
        var user = await UserWithCreditsAsync();
        var body = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(TitleEdit(@"\ud800")));

        var response = await user.Session.PostAsync("/api/v1/render", body);

        await AssertRefusedAsync(response, "timeline.tracks[0].clips[0].asset.text");
        await AssertNothingChargedOrQueuedAsync(user.Id);
    }

    [Fact]
    public async Task Generate_WithNulInThePrompt_Returns400NamingPrompt_AndChargesNothing()
    {
        var user = await UserWithCreditsAsync();

        var response = await user.Session.PostAsync("/api/v1/generate", Api.Json("""{"prompt":"a red fox\u0000","durationSec":5}"""));

        await AssertRefusedAsync(response, "prompt");
        await AssertNothingChargedOrQueuedAsync(user.Id);
    }

    [Fact]
    public async Task CreateKey_WithNulInTheName_Returns400NamingName_AndCreatesNoKey()
    {
        var user = await UserWithCreditsAsync();

        var response = await user.Session.PostAsync("/api/v1/keys", Api.Json("""{"name":"n8n\u0000prod"}"""));

        await AssertRefusedAsync(response, "name");
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM api_keys WHERE user_id = @id", new { id = user.Id }));
    }

    [Theory]
    [InlineData("""{"email":"nul\u0000@example.com","password":"correct horse battery"}""", "email")]
    [InlineData("""{"email":"surrogate@example.com","password":"correct horse battery","referralCode":"AB\u0000CD"}""", "referralCode")]
    [InlineData("""{"email":"pw@example.com","password":"correct horse \udfff battery"}""", "password")]
    public async Task Register_WithUnstorableText_Returns400NamingTheField_AndCreatesNoUser(string json, string field)
    {
        var users = await CountAsync("SELECT count(*) FROM users");
        using var client = _app.CreateApiClient();

        var response = await client.PostAsync("/api/v1/auth/register", Api.Json(json));

        await AssertRefusedAsync(response, field);
        Assert.Equal(users, await CountAsync("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task Login_WithNulInTheEmail_Returns400NamingEmail()
    {
        using var client = _app.CreateApiClient();

        var response = await client.PostAsync("/api/v1/auth/login", Api.Json("""{"email":"a\u0000@example.com","password":"correct horse battery"}"""));

        await AssertRefusedAsync(response, "email");
    }

    [Fact]
    public async Task RedeemReferral_WithNulInTheCode_Returns400NamingCode_AndGrantsNothing()
    {
        var user = await UserWithCreditsAsync();

        var response = await user.Session.PostAsync("/api/v1/credits/redeem-referral", Api.Json("""{"code":"\u0000"}"""));

        await AssertRefusedAsync(response, "code");
        await AssertNothingChargedOrQueuedAsync(user.Id);
    }

    [Fact]
    public async Task AdminUserSearch_WithNulInTheQuery_Returns400NamingSearch()
    {
        var admin = await Api.AdminSessionAsync(_app);

        var response = await admin.GetAsync("/api/v1/admin/users?search=a%00b");

        await AssertRefusedAsync(response, "search");
    }

    [Theory]
    [InlineData("Form.Email", "nul\0@example.com")]
    [InlineData("Form.ReferralCode", "AB\0CD")]
    public async Task SignUpForm_WithNulInAField_Returns400NamingIt_AndCreatesNoUser(string name, string value)
    {
        var users = await CountAsync("SELECT count(*) FROM users");
        var client = _app.CreateApiClient();
        var token = await WebForms.TokenAsync(client, "/signup");
        (string, string)[] fields = [("Form.Email", $"form-{Guid.NewGuid():N}@example.com"), ("Form.Password", "correct horse battery"), ("Form.ReferralCode", "")];

        var response = await client.PostAsync("/signup", WebForms.Form(token, "signup", [.. fields.Where(f => f.Item1 != name), (name, value)]));

        await AssertRefusedAsync(response, name);
        Assert.Equal(users, await CountAsync("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task SignUpForm_WithARawNulByte_Returns400NamingTheField_AndCreatesNoUser()
    {
        var users = await CountAsync("SELECT count(*) FROM users");
        var client = _app.CreateApiClient();
        var token = await WebForms.TokenAsync(client, "/signup");
        var form = $"Form.Email=raw\0%40example.com&Form.Password=correct+horse+battery&_handler=signup&__RequestVerificationToken={Uri.EscapeDataString(token)}";

        var response = await client.PostAsync("/signup", new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        await AssertRefusedAsync(response, "Form.Email");
        Assert.Equal(users, await CountAsync("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task SignInForm_WithNulInTheEmail_Returns400NamingIt()
    {
        var client = _app.CreateApiClient();
        var token = await WebForms.TokenAsync(client, "/signin");

        var response = await client.PostAsync("/signin", WebForms.Form(token, "signin", ("Form.Email", "a\0@example.com"), ("Form.Password", "correct horse battery")));

        await AssertRefusedAsync(response, "Form.Email");
    }

    [Fact]
    public async Task KeysForm_WithNulInTheName_Returns400NamingIt_AndCreatesNoKey()
    {
        var user = await UserWithCreditsAsync();
        var token = await WebForms.TokenAsync(user.Session, "/keys");

        var response = await user.Session.PostAsync("/keys", WebForms.Form(token, "create-key", ("Form.Name", "n8n\0")));

        await AssertRefusedAsync(response, "Form.Name");
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM api_keys WHERE user_id = @id", new { id = user.Id }));
    }

    [Fact]
    public async Task GenerateForm_WithNulInThePrompt_Returns400NamingIt_AndChargesNothing()
    {
        var user = await UserWithCreditsAsync();
        var token = await WebForms.TokenAsync(user.Session, "/create/generate");
        var form = new MultipartFormDataContent
        {
            { new StringContent("a red fox\0"), "Form.Prompt" },
            { new StringContent("5"), "Form.DurationSec" },
            { new StringContent("generate"), "_handler" },
            { new StringContent(token), "__RequestVerificationToken" },
        };

        var response = await user.Session.PostAsync("/create/generate", form);

        await AssertRefusedAsync(response, "Form.Prompt");
        await AssertNothingChargedOrQueuedAsync(user.Id);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("render")]
    public async Task RenderPage_WithALoneSurrogateInTheEdit_ShowsThePath_AndChargesNothing(string action)
    {
        var user = await UserWithCreditsAsync();
        var token = await WebForms.TokenAsync(user.Session, "/create/render");

        var response = await user.Session.PostAsync("/create/render",
            WebForms.Form(token, "render", ("Form.Json", TitleEdit(@"Hello \ud800")), ("Form.Action", action)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("timeline.tracks[0].clips[0].asset.text", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNothingChargedOrQueuedAsync(user.Id);
    }
}
