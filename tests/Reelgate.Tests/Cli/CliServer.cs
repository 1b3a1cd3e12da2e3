using Microsoft.Extensions.DependencyInjection;
using Reelgate.Credits;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Cli;

/// <summary>A real Reelgate process (API and worker) for the CLI to talk to, and an in-process app on the same database to set up users.</summary>
public sealed class CliServer : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private ReelgateFactory? _setup;
    private ReelgateProcess? _process;

    public string BaseUrl => _process!.BaseUrl;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _setup = new ReelgateFactory(_db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api" });
        _process = await ReelgateProcess.StartAsync(_db.ConnectionString, new Dictionary<string, string>
        {
            ["Rendering__Preset"] = "ultrafast",
            ["Jobs__PollInterval"] = "00:00:00.500",
        });
    }

    /// <summary>A new user with these credits and an API key.</summary>
    public async Task<string> FundedKeyAsync(decimal credits)
    {
        var user = await Api.RegisterAsync(_setup!);
        await _setup!.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, credits, "test", null, LedgerKinds.Grant, null);
        return await Api.CreateKeyAsync(user.Session);
    }

    public async Task DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _setup?.Dispose();
        await _db.DisposeAsync();
    }
}
