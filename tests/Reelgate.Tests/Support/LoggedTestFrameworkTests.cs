using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Reelgate.Tests.Support;

/// <summary>The suite's own test framework: xunit's scheduling kept, and a bounded log per test.</summary>
public sealed class LoggedTestFrameworkTests
{
    [Fact]
    public void CollectionsRunningAtOnce_NeverOutnumberXunitsParallelLimit()
    {
        // Every collection creates a database and apps of its own: past the limit they exhaust PostgreSQL's connections.
        Assert.InRange(LoggedTestFramework.PeakRunningCollections, 1, LoggedTestFramework.CollectionLimit);
    }

    [Fact]
    public void LogBook_PastItsLimit_KeepsTheLatestLines_AndSaysHowManyItLeftOut()
    {
        var book = new TestLogBook();

        for (var i = 1; i <= TestLogBook.MaxLines + 2; i++) book.Add($"line {i}");

        var lines = book.Text().Split('\n');
        Assert.Equal("(2 earlier lines left out)", lines[0]);
        Assert.Equal("line 3", lines[1]);
        Assert.Equal($"line {TestLogBook.MaxLines + 2}", lines[^1]);
        Assert.Equal(TestLogBook.MaxLines + 1, lines.Length);
    }

    [Fact]
    public void LogBook_Cleared_AsATestStarts_HoldsNothingOfTheTestBefore()
    {
        var book = new TestLogBook();
        book.Add("from the test before");

        book.Clear();
        book.Add("from this test");

        Assert.Equal("from this test", book.Text());
    }

    [Fact]
    public void AppLog_KeepsEveryLineForAFailure_AndPrintsOnlyWarningsAndErrors()
    {
        var book = new TestLogBook();
        using var console = new StringWriter();
        using var provider = new TestLogProvider(book, console);
        var logger = provider.CreateLogger("Reelgate.Jobs.JobWorker");

        logger.LogInformation("Running {Kind} job {JobId}", "render", 7);
        logger.LogWarning("ffmpeg failed for job {JobId}", 7);

        var kept = book.Text().Split('\n');
        Assert.EndsWith("info Reelgate.Jobs.JobWorker: Running render job 7", kept[0]);
        Assert.EndsWith("warn Reelgate.Jobs.JobWorker: ffmpeg failed for job 7", kept[1]);
        Assert.DoesNotContain("Running render job", console.ToString());
        Assert.Contains("ffmpeg failed for job 7", console.ToString());
    }

    [Fact]
    public void TestApps_LogAtTheAppsOwnLevels_SoAFailingTestShowsItsInformationLines()
    {
        using var app = new ReelgateFactory("Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z;Timeout=2", new Dictionary<string, string?>
        {
            ["roles"] = "api",
            ["Database:RequiredAtStart"] = "false",
        });

        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        var lowest = Enum.Parse<LogLevel>(Environment.GetEnvironmentVariable("TEST_LOG_LEVEL") is { Length: > 0 } level ? level : "Information");
        Assert.True(loggers.CreateLogger("Reelgate.Jobs.JobWorker").IsEnabled(lowest));
        Assert.False(loggers.CreateLogger("Reelgate.Jobs.JobWorker").IsEnabled(lowest - 1));
    }
}
