using System.Text.Json;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Operations;

/// <summary>The console's format as an operator chooses it with LOG_FORMAT, in the real process.</summary>
public sealed class LogFormatTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData(null)]
    [InlineData("json")]
    public async Task InProduction_OrWithLogFormatJson_EachLineIsAJsonObject(string? format)
    {
        var lines = await StartupLinesAsync(format);

        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("Category", out _), line);
        }
        Assert.Contains(lines, l => l.Contains("\"Message\":\"Now listening on: http://127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithLogFormatPlain_EachEntryIsOneReadableLine()
    {
        var lines = await StartupLinesAsync("plain");

        Assert.Contains(lines, l => l.Contains("info: Microsoft.Hosting.Lifetime[14] Now listening on: http://127.0.0.1:", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith('{'));
    }

    private async Task<string[]> StartupLinesAsync(string? format)
    {
        var settings = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Information" };
        if (format is not null) settings["LOG_FORMAT"] = format;
        await using var process = await ReelgateProcess.StartAsync(db.ConnectionString, settings);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!process.Log.Contains("Now listening on", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        return process.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
