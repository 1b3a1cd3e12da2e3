using System.Net;
using System.Net.Http.Json;
using Reelgate.Tests.Projects;
using Reelgate.Tests.Providers;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

/// <summary>New accounts start with Accounts:SignupCredits (1 by default), granted once through the ledger.</summary>
public sealed class SignupCreditTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private ReelgateFactory _app = null!;

    public Task InitializeAsync()
    {
        // A null value leaves the app's own default in place.
        _app = ProviderApp.Create(db.ConnectionString, [], new() { ["roles"] = "api", ["Accounts:SignupCredits"] = null });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Register_GrantsOneCreditOnce_EnoughForOneClipAndNoMore()
    {
        var user = await Api.RegisterAsync(_app);
        var again = await user.Session.PostAsJsonAsync("/api/v1/auth/register", new { email = user.Email, password = user.Password });

        var ledger = (await (await user.Session.GetAsync("/api/v1/credits/ledger")).JsonAsync()).GetProperty("data");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var grant = Assert.Single(ledger.EnumerateArray());
        Assert.Equal("grant", grant.GetProperty("kind").GetString());
        Assert.Equal(1m, grant.GetProperty("amount").GetDecimal());
        Assert.Equal(1m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("available").GetDecimal());

        var projectId = (await ProjectApi.CreateProjectAsync(user.Session, new { title = "First try" })).GetProperty("id").GetGuid();
        var photo = await ProjectApi.UploadAsync(user.Session, await ProjectMedia.ColorImageAsync("red"));
        await ProjectApi.AddClipAsync(user.Session, projectId, photo);
        var second = await user.Session.PostAsJsonAsync("/api/v1/clips", new { projectId, uploadId = photo });
        await Api.AssertProblemAsync(second, HttpStatusCode.PaymentRequired, "insufficient-credits");
    }
}
