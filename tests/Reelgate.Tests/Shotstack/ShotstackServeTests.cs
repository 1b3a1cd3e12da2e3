using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Reelgate.Tests.Support;
using static Reelgate.Tests.Shotstack.ShotstackUsers;

namespace Reelgate.Tests.Shotstack;

/// <summary>The Serve API over stored render outputs, at the base path the SDK's ServeApi uses.</summary>
public sealed class ShotstackServeTests : IClassFixture<TestDatabase>, IDisposable
{
    private static readonly string[] AssetFields = ["id", "owner", "renderId", "filename", "url", "status", "created", "updated"];

    private readonly ReelgateFactory _app;

    public ShotstackServeTests(TestDatabase db) => _app = new ReelgateFactory(db.ConnectionString, Settings);

    public void Dispose() => _app.Dispose();

    private async Task<(Guid UserId, HttpClient Client, Guid RenderId)> RenderedAsync()
    {
        var (userId, client) = await CreateAsync(_app, 5m);
        var queued = await client.PostAsJsonAsync("/edit/v1/render", Edit());
        Assert.Equal(HttpStatusCode.Created, queued.StatusCode);
        var renderId = (await queued.JsonAsync()).GetProperty("response").GetProperty("id").GetGuid();
        await WaitForDoneAsync(client, renderId);
        return (userId, client, renderId);
    }

    private static async Task<JsonElement> JsonApiAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        AssertFields(body, "data");
        AssertNoNulls(body);
        return body.GetProperty("data");
    }

    [Fact]
    public async Task RenderAssets_ListTheStoredOutputs_AsJsonApiAssets_EachReadableById()
    {
        var (userId, client, renderId) = await RenderedAsync();

        var assets = (await JsonApiAsync(await client.GetAsync($"/serve/v1/assets/render/{renderId}"))).EnumerateArray().ToList();

        var video = assets[0];
        AssertFields(video, "type", "attributes");
        Assert.Equal("asset", video.GetProperty("type").GetString());
        var attributes = video.GetProperty("attributes");
        AssertFields(attributes, AssetFields);
        var assetId = attributes.GetProperty("id").GetGuid();
        Assert.NotEqual(renderId, assetId);
        Assert.Equal(userId.ToString(), attributes.GetProperty("owner").GetString());
        Assert.Equal(renderId, attributes.GetProperty("renderId").GetGuid());
        Assert.Equal("ready", attributes.GetProperty("status").GetString());
        Assert.EndsWith(".mp4", attributes.GetProperty("filename").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", attributes.GetProperty("created").GetString());
        Assert.All(assets, a => Assert.Equal(renderId, a.GetProperty("attributes").GetProperty("renderId").GetGuid()));

        var single = await JsonApiAsync(await client.GetAsync($"/serve/stage/assets/{assetId}"));
        Assert.Equal(assetId, single.GetProperty("attributes").GetProperty("id").GetGuid());
        var download = await client.GetAsync(new Uri(single.GetProperty("attributes").GetProperty("url").GetString()!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString((await download.Content.ReadAsByteArrayAsync())[4..8]));
    }

    [Fact]
    public async Task DeleteAsset_RemovesTheFile_AndReadsShowItDeleted()
    {
        var (_, client, renderId) = await RenderedAsync();
        var attributes = (await JsonApiAsync(await client.GetAsync($"/serve/v1/assets/render/{renderId}")))[0].GetProperty("attributes");
        var assetId = attributes.GetProperty("id").GetGuid();
        var link = new Uri(attributes.GetProperty("url").GetString()!).PathAndQuery;

        var deleted = await client.DeleteAsync($"/serve/v1/assets/{assetId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());
        var after = (await JsonApiAsync(await client.GetAsync($"/serve/v1/assets/{assetId}"))).GetProperty("attributes");
        Assert.Equal("deleted", after.GetProperty("status").GetString());
        Assert.False(after.TryGetProperty("url", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(link)).StatusCode);
        var render = (await (await client.GetAsync($"/edit/v1/render/{renderId}")).JsonAsync()).GetProperty("response");
        Assert.False(render.TryGetProperty("url", out _));
    }

    [Fact]
    public async Task AnotherUsersAssets_AreNotFound_AndCannotBeDeleted()
    {
        var (_, owner, renderId) = await RenderedAsync();
        var assetId = (await JsonApiAsync(await owner.GetAsync($"/serve/v1/assets/render/{renderId}")))[0].GetProperty("attributes").GetProperty("id").GetGuid();
        var (_, intruder) = await CreateAsync(_app, 0m);

        await AssertErrorAsync(await intruder.GetAsync($"/serve/v1/assets/{assetId}"), HttpStatusCode.NotFound, "Not Found");
        await AssertErrorAsync(await intruder.GetAsync($"/serve/v1/assets/render/{renderId}"), HttpStatusCode.NotFound, "Not Found");
        await AssertErrorAsync(await intruder.DeleteAsync($"/serve/v1/assets/{assetId}"), HttpStatusCode.NotFound, "Not Found");
        await AssertErrorAsync(await intruder.GetAsync("/serve/v1/assets/not-a-uuid"), HttpStatusCode.NotFound, "Not Found");

        var kept = (await JsonApiAsync(await owner.GetAsync($"/serve/v1/assets/{assetId}"))).GetProperty("attributes");
        Assert.Equal("ready", kept.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Serve_WithoutAKey_Returns401Envelope()
    {
        var client = _app.CreateClient();
        await AssertErrorAsync(await client.GetAsync($"/serve/v1/assets/{Guid.NewGuid()}"), HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task GetRender_IncludesTheEditByDefault_AndLeavesItOutWithDataFalse()
    {
        var (_, client) = await CreateAsync(_app, 5m);
        var queued = await client.PostAsJsonAsync("/edit/v1/render", Edit(merge: new[] { new { find = "NAME", replace = "You" } }));
        var id = (await queued.JsonAsync()).GetProperty("response").GetProperty("id").GetGuid();

        var byDefault = await AssertEnvelopeAsync(await client.GetAsync($"/edit/v1/render/{id}"), HttpStatusCode.OK, "OK");
        var without = await AssertEnvelopeAsync(await client.GetAsync($"/edit/v1/render/{id}?data=false"), HttpStatusCode.OK, "OK");

        Assert.Equal("Hello {{ NAME }}", byDefault.GetProperty("data").GetProperty("timeline").GetProperty("tracks")[0].GetProperty("clips")[0].GetProperty("asset").GetProperty("text").GetString());
        Assert.False(without.TryGetProperty("data", out _));
    }
}
