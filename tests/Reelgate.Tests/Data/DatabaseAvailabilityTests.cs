using Microsoft.Extensions.Logging;
using Npgsql;
using Reelgate.Data;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Data;

public sealed class DatabaseAvailabilityTests
{
    private static readonly PostgresException ShuttingDown = new("the database system is shutting down", "FATAL", "FATAL", "57P03");
    private readonly ManualClock _clock = new();
    private readonly LogCapture _logs = new();
    private readonly DatabaseAvailability _database;

    public DatabaseAvailabilityTests() =>
        _database = new DatabaseAvailability(_clock, LoggerFactory.Create(b => b.AddProvider(_logs)).CreateLogger<DatabaseAvailability>());

    private IReadOnlyList<string> Messages => _logs.Entries.Select(e => e.Message).ToList();

    [Fact]
    public void ManyFailures_AndTheRecovery_AreLoggedOnceEach()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.True(_database.RecordIfOutage(ShuttingDown));
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
        _database.RecordReachable();
        _database.RecordReachable();

        Assert.Collection(Messages,
            m => Assert.StartsWith("Database unreachable", m),
            m => Assert.Equal("Database reachable again after 00:00:10", m));
    }

    [Fact]
    public void OtherErrors_AreNotOutages_AndLeaveTheLogToTheCaller()
    {
        Assert.False(_database.RecordIfOutage(new PostgresException("syntax error", "ERROR", "ERROR", "42601")));
        Assert.False(_database.RecordIfOutage(new InvalidOperationException("bug")));
        Assert.Empty(Messages);
    }

    [Fact]
    public void FailureJustAfterRecovery_DoesNotStartANewOutage()
    {
        _database.RecordIfOutage(ShuttingDown);
        _database.RecordReachable();
        _clock.Advance(TimeSpan.FromMilliseconds(200));

        Assert.True(_database.RecordIfOutage(ShuttingDown));
        _database.RecordReachable();

        Assert.Equal(2, Messages.Count);
    }

    [Fact]
    public void FailureLaterAfterRecovery_StartsANewOutage()
    {
        _database.RecordIfOutage(ShuttingDown);
        _database.RecordReachable();
        _clock.Advance(TimeSpan.FromSeconds(5));

        _database.RecordIfOutage(ShuttingDown);

        Assert.Equal(3, Messages.Count);
        Assert.StartsWith("Database unreachable", Messages[2]);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
