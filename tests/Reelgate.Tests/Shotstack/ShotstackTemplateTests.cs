using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Reelgate.Tests.Support;
using static Reelgate.Tests.Shotstack.ShotstackUsers;

namespace Reelgate.Tests.Shotstack;

/// <summary>Shotstack's template routes, driven with the bodies the SDKs send.</summary>
public sealed class ShotstackTemplateTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _app;

    public ShotstackTemplateTests(TestDatabase db) => _app = new ReelgateFactory(db.ConnectionString, Settings);

    public void Dispose() => _app.Dispose();

    private static async Task<Guid> CreateTemplateAsync(HttpClient client, string name, object template)
    {
        var response = await AssertEnvelopeAsync(await client.PostAsJsonAsync("/edit/v1/templates", new { name, template }), HttpStatusCode.Created, "Created");
        AssertFields(response, "message", "id");
        Assert.Equal("Template Successfully Created", response.GetProperty("message").GetString());
        return response.GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task PostTemplate_ThenGet_ReturnsTheTemplateWithExactlyTheSpecFields()
    {
        var (userId, client) = await CreateAsync(_app, 0m);
        var id = await CreateTemplateAsync(client, "Intro", Edit(merge: new[] { new { find = "NAME", replace = "World" } }));

        var template = await AssertEnvelopeAsync(await client.GetAsync($"/edit/v1/templates/{id}"), HttpStatusCode.OK, "OK");

        AssertFields(template, "id", "name", "owner", "template");
        Assert.Equal(id, template.GetProperty("id").GetGuid());
        Assert.Equal("Intro", template.GetProperty("name").GetString());
        Assert.Equal(userId.ToString(), template.GetProperty("owner").GetString());
        var edit = template.GetProperty("template");
        Assert.Equal("Hello {{ NAME }}", edit.GetProperty("timeline").GetProperty("tracks")[0].GetProperty("clips")[0].GetProperty("asset").GetProperty("text").GetString());
        Assert.Equal("World", edit.GetProperty("merge")[0].GetProperty("replace").GetString());
    }

    [Fact]
    public async Task GetTemplates_ListsOnlyTheCallersTemplates()
    {
        var (userId, client) = await CreateAsync(_app, 0m);
        var (_, other) = await CreateAsync(_app, 0m);
        var first = await CreateTemplateAsync(client, "First", Edit());
        var second = await CreateTemplateAsync(client, "Second", Edit());
        await CreateTemplateAsync(other, "Not mine", Edit());

        var list = await AssertEnvelopeAsync(await client.GetAsync("/stage/templates"), HttpStatusCode.OK, "OK");

        AssertFields(list, "owner", "templates");
        Assert.Equal(userId.ToString(), list.GetProperty("owner").GetString());
        var templates = list.GetProperty("templates").EnumerateArray().ToList();
        Assert.Equal([first, second], templates.Select(t => t.GetProperty("id").GetGuid()));
        Assert.Equal(["First", "Second"], templates.Select(t => t.GetProperty("name").GetString()));
        Assert.All(templates, t => AssertFields(t, "id", "name", "created", "updated"));
        Assert.All(templates, t => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", t.GetProperty("created").GetString()));
    }

    [Fact]
    public async Task AnotherUsersTemplate_IsNotFound_ForEveryRoute()
    {
        var (_, owner) = await CreateAsync(_app, 5m);
        var id = await CreateTemplateAsync(owner, "Mine", Edit());
        var (_, intruder) = await CreateAsync(_app, 5m);

        await AssertErrorAsync(await intruder.GetAsync($"/edit/v1/templates/{id}"), HttpStatusCode.NotFound, "Not Found");
        await AssertErrorAsync(await intruder.PutAsJsonAsync($"/edit/v1/templates/{id}", new { name = "Taken", template = Edit() }), HttpStatusCode.NotFound, "Not Found");
        await AssertErrorAsync(await intruder.DeleteAsync($"/edit/v1/templates/{id}"), HttpStatusCode.NotFound, "Not Found");
        await AssertErrorAsync(await intruder.PostAsJsonAsync("/edit/v1/templates/render", new { id }), HttpStatusCode.NotFound, "Not Found");

        var kept = await AssertEnvelopeAsync(await owner.GetAsync($"/edit/v1/templates/{id}"), HttpStatusCode.OK, "OK");
        Assert.Equal("Mine", kept.GetProperty("name").GetString());
    }

    [Fact]
    public async Task PutTemplate_ReplacesIt_AndDeleteRemovesIt()
    {
        var (_, client) = await CreateAsync(_app, 0m);
        var id = await CreateTemplateAsync(client, "Before", Edit());

        var updated = await AssertEnvelopeAsync(await client.PutAsJsonAsync($"/edit/v1/templates/{id}", new { name = "After", template = Edit(length: 2) }), HttpStatusCode.OK, "OK");
        AssertFields(updated, "message", "id");
        Assert.Equal("Template Successfully Updated", updated.GetProperty("message").GetString());
        var read = await AssertEnvelopeAsync(await client.GetAsync($"/edit/v1/templates/{id}"), HttpStatusCode.OK, "OK");
        Assert.Equal("After", read.GetProperty("name").GetString());
        Assert.Equal(2, read.GetProperty("template").GetProperty("timeline").GetProperty("tracks")[0].GetProperty("clips")[0].GetProperty("length").GetInt32());

        var deleted = await client.DeleteAsync($"/edit/v1/templates/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());
        await AssertErrorAsync(await client.GetAsync($"/edit/v1/templates/{id}"), HttpStatusCode.NotFound, "Not Found");
    }

    [Fact]
    public async Task PutTemplate_WithoutTemplate_SavesABlankOne()
    {
        var (_, client) = await CreateAsync(_app, 0m);
        var id = await CreateTemplateAsync(client, "Full", Edit());

        await AssertEnvelopeAsync(await client.PutAsJsonAsync($"/edit/v1/templates/{id}", new { name = "Blank" }), HttpStatusCode.OK, "OK");

        var read = await AssertEnvelopeAsync(await client.GetAsync($"/edit/v1/templates/{id}"), HttpStatusCode.OK, "OK");
        AssertFields(read, "id", "name", "owner");
    }

    [Theory]
    [InlineData("""{"template":{}}""", "name: ")]
    [InlineData("""{"name":"  ","template":{}}""", "name: ")]
    [InlineData("""{"name":"x","template":"not an edit"}""", "template: ")]
    [InlineData("""{"name":"x","template":[]}""", "template: ")]
    [InlineData("""{"name":"x","tempalte":{}}""", "tempalte: ")]
    public async Task PostTemplate_BadInput_Returns400NamingTheField(string body, string field)
    {
        var (_, client) = await CreateAsync(_app, 0m);

        var error = await AssertErrorAsync(await client.PostAsync("/edit/v1/templates", Api.Json(body)), HttpStatusCode.BadRequest, "Bad Request");

        Assert.StartsWith(field, error);
        var list = await AssertEnvelopeAsync(await client.GetAsync("/edit/v1/templates"), HttpStatusCode.OK, "OK");
        Assert.Empty(list.GetProperty("templates").EnumerateArray());
    }

    [Fact]
    public async Task TemplateRoutes_WithABadId_Return400NamingTheId()
    {
        var (_, client) = await CreateAsync(_app, 5m);

        Assert.StartsWith("id: ", await AssertErrorAsync(await client.GetAsync("/edit/v1/templates/not-a-uuid"), HttpStatusCode.BadRequest, "Bad Request"));
        Assert.StartsWith("id: ", await AssertErrorAsync(await client.DeleteAsync("/edit/v1/templates/not-a-uuid"), HttpStatusCode.BadRequest, "Bad Request"));
        Assert.StartsWith("id: ", await AssertErrorAsync(await client.PostAsync("/edit/v1/templates/render", Api.Json("{}")), HttpStatusCode.BadRequest, "Bad Request"));
        Assert.StartsWith("id: ", await AssertErrorAsync(await client.PostAsync("/edit/v1/templates/render", Api.Json("""{"id":"nope"}""")), HttpStatusCode.BadRequest, "Bad Request"));
        Assert.StartsWith("merge: ", await AssertErrorAsync(await client.PostAsync("/edit/v1/templates/render",
            Api.Json($$$"""{"id":"{{{Guid.NewGuid()}}}","merge":{"find":"NAME"}}""")), HttpStatusCode.BadRequest, "Bad Request"));
    }

    [Fact]
    public async Task TemplateRender_MergesTheRequestOverTheTemplate_AndHoldsWhatTheSameRenderWould()
    {
        var (userId, client) = await CreateAsync(_app, 5m);
        var template = Edit(length: "{{ LENGTH }}", merge: new object[] { new { find = "NAME", replace = "Template" }, new { find = "LENGTH", replace = 1 } });
        var id = await CreateTemplateAsync(client, "Greeting", template);

        var queued = await AssertEnvelopeAsync(await client.PostAsJsonAsync("/edit/v1/templates/render",
            new { id, merge = new[] { new { find = "NAME", replace = "Request" } } }), HttpStatusCode.Created, "Created");

        AssertFields(queued, "message", "id");
        Assert.Equal("Render Successfully Queued", queued.GetProperty("message").GetString());
        var renderId = queued.GetProperty("id").GetGuid();
        var held = 5m - (await BalanceAsync(_app, userId)).Available;
        var (directUser, direct) = await CreateAsync(_app, 5m);
        var directResponse = await direct.PostAsJsonAsync("/edit/v1/render", Edit(merge: new[] { new { find = "NAME", replace = "Request" } }));
        Assert.Equal(HttpStatusCode.Created, directResponse.StatusCode);
        Assert.True(held > 0);
        Assert.Equal(5m - (await BalanceAsync(_app, directUser)).Available, held);

        var merged = (await AssertEnvelopeAsync(await client.GetAsync($"/edit/v1/render/{renderId}?data=true&merged=true"), HttpStatusCode.OK, "OK")).GetProperty("data");
        var clip = merged.GetProperty("timeline").GetProperty("tracks")[0].GetProperty("clips")[0];
        Assert.Equal("Hello Request", clip.GetProperty("asset").GetProperty("text").GetString());
        Assert.Equal(1, clip.GetProperty("length").GetInt32());
        var done = await WaitForDoneAsync(client, renderId);
        Assert.InRange(done.GetProperty("duration").GetDouble(), 0.9, 1.1);
    }

    [Fact]
    public async Task TemplateRender_IsValidatedAfterMerging_AndARefusalChargesNothing()
    {
        var (userId, client) = await CreateAsync(_app, 5m);
        var id = await CreateTemplateAsync(client, "Placeholder length", Edit(length: "{{ LENGTH }}"));

        var error = await AssertErrorAsync(await client.PostAsJsonAsync("/edit/v1/templates/render",
            new { id, merge = new[] { new { find = "LENGTH", replace = -1 } } }), HttpStatusCode.BadRequest, "Bad Request");
        var unmerged = await AssertErrorAsync(await client.PostAsJsonAsync("/edit/v1/templates/render", new { id }), HttpStatusCode.BadRequest, "Bad Request");

        Assert.Contains("timeline.tracks[0].clips[0].length: ", error);
        Assert.Contains("timeline.tracks[0].clips[0].length: ", unmerged);
        Assert.Equal(new Reelgate.Credits.Balance(5m, 0m), await BalanceAsync(_app, userId));
        var accepted = await client.PostAsJsonAsync("/edit/v1/templates/render", new { id, merge = new[] { new { find = "LENGTH", replace = 1 } } });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task TemplateRender_WithoutCredits_Returns402Envelope()
    {
        var (_, client) = await CreateAsync(_app, 0m);
        var id = await CreateTemplateAsync(client, "Free?", Edit());

        await AssertErrorAsync(await client.PostAsJsonAsync("/edit/v1/templates/render", new { id }), HttpStatusCode.PaymentRequired, "Payment Required");
    }

    [Fact]
    public async Task TemplateRender_WithAnIdempotencyKey_QueuesOnce_AndAnotherBodyIs422Envelope()
    {
        var (userId, client) = await CreateAsync(_app, 5m);
        var id = await CreateTemplateAsync(client, "Once", Edit());
        HttpRequestMessage Request(string name) => new(HttpMethod.Post, "/edit/v1/templates/render")
        {
            Content = JsonContent.Create(new { id, merge = new[] { new { find = "NAME", replace = name } } }),
            Headers = { { "Idempotency-Key", "template-render-1" } },
        };

        var first = await AssertEnvelopeAsync(await client.SendAsync(Request("A")), HttpStatusCode.Created, "Created");
        var balance = await BalanceAsync(_app, userId);
        var replay = await client.SendAsync(Request("A"));
        var reused = await client.SendAsync(Request("B"));

        Assert.Equal(first.GetProperty("id").GetGuid(), (await AssertEnvelopeAsync(replay, HttpStatusCode.Created, "Created")).GetProperty("id").GetGuid());
        Assert.Contains("Idempotency-Key", await AssertErrorAsync(reused, HttpStatusCode.UnprocessableEntity, "Unprocessable Entity"));
        Assert.Equal(balance, await BalanceAsync(_app, userId));
    }

    [Fact]
    public async Task TemplateWrites_WithAReadOnlyKey_Return403Envelope()
    {
        var (_, client) = await CreateAsync(_app, 5m, scopes: ["jobs:read"]);

        await AssertErrorAsync(await client.PostAsJsonAsync("/edit/v1/templates", new { name = "x", template = Edit() }), HttpStatusCode.Forbidden, "Forbidden");
        var list = await AssertEnvelopeAsync(await client.GetAsync("/edit/v1/templates"), HttpStatusCode.OK, "OK");
        Assert.Empty(list.GetProperty("templates").EnumerateArray());
    }
}
