using System.Text.Json;

namespace Reelgate.Tests.Cli;

/// <summary><c>reelgate keys</c>: making keys with chosen scopes and an expiry, listing and revoking them.</summary>
public sealed partial class CliTests
{
    [Fact]
    public async Task Keys_CreateListRevoke_RoundTrip()
    {
        var cli = await SignedInAsync();

        var created = JsonDocument.Parse((await cli.RunAsync("keys", "create", "--name", "ci-key", "--json")).Stdout).RootElement;
        var keyId = created.GetProperty("id").GetString()!;
        Assert.Contains("ci-key", (await cli.RunAsync("keys", "list")).Stdout);
        Assert.Equal(0, (await cli.RunAsync("keys", "revoke", keyId)).ExitCode);

        var keys = JsonDocument.Parse((await cli.RunAsync("keys", "list", "--json")).Stdout).RootElement.GetProperty("data");
        var revoked = keys.EnumerateArray().Single(k => k.GetProperty("id").GetString() == keyId);
        Assert.True(revoked.TryGetProperty("revokedAt", out var at) && at.ValueKind == JsonValueKind.String, revoked.ToString());
    }

    [Fact]
    public async Task Keys_Create_WithScopesAndExpiry_GivesTheKeyExactlyThose_AndListShowsThem()
    {
        var cli = await SignedInAsync();

        var create = await cli.RunAsync("keys", "create", "--name", "reader", "--scope", "jobs:read", "--scope", "render", "--expires", "30d", "--json");

        Assert.True(create.ExitCode == 0, create.Stderr);
        var created = JsonDocument.Parse(create.Stdout).RootElement;
        Assert.Equal(["jobs:read", "render"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).Order());
        var expiresIn = created.GetProperty("expiresAt").GetDateTime().ToUniversalTime() - DateTime.UtcNow;
        Assert.InRange(expiresIn, TimeSpan.FromDays(30) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(30));
        var list = (await cli.RunAsync("keys", "list")).Stdout;
        var reader = list.Split('\n').Single(line => line.Contains(" reader "));
        Assert.Contains(" jobs:read, render ", reader);
        Assert.Contains(DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), reader);
        var unscoped = list.Split('\n').Single(line => line.Contains(" test "));
        Assert.Contains(" render, generate, jobs:read, projects, billing, webhooks ", unscoped);
    }

    [Fact]
    public async Task Keys_Create_WithAnUnknownScope_PrintsTheFieldError_Exits1_AndMakesNoKey()
    {
        var cli = await SignedInAsync();

        var create = await cli.RunAsync("keys", "create", "--name", "typo", "--scope", "render", "--scope", "everything");

        Assert.Equal(1, create.ExitCode);
        Assert.Contains("(400)", create.Stderr);
        Assert.Contains("scopes[1]: must be one of render, generate, jobs:read", create.Stderr);
        Assert.DoesNotContain("typo", (await cli.RunAsync("keys", "list")).Stdout);
    }

    [Fact]
    public async Task Keys_Create_WithAnExpiryInThePast_OrUnreadable_Exits1_AndMakesNoKey()
    {
        var cli = await SignedInAsync();

        var past = await cli.RunAsync("keys", "create", "--name", "stale", "--expires", "2020-01-01");
        var unreadable = await cli.RunAsync("keys", "create", "--name", "vague", "--expires", "soon");

        Assert.Equal(1, past.ExitCode);
        Assert.Contains("expiresAt: must be in the future.", past.Stderr);
        Assert.Equal(1, unreadable.ExitCode);
        Assert.Contains("--expires: 'soon' is neither a duration", unreadable.Stderr);
        var list = (await cli.RunAsync("keys", "list")).Stdout;
        Assert.DoesNotContain("stale", list);
        Assert.DoesNotContain("vague", list);
    }
}
