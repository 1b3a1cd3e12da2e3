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
}
