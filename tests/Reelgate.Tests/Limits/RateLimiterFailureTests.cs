using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Limits;

namespace Reelgate.Tests.Limits;

public sealed class RateLimiterFailureTests
{
    private static DistributedRateLimiter LimiterWithUnreachableStore(bool failClosed)
    {
        var unreachable = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z;Timeout=2");
        return new DistributedRateLimiter(new RateLimitStore(unreachable), Options.Create(new RateLimitOptions { FailClosed = failClosed }),
            TimeProvider.System, NullLogger<DistributedRateLimiter>.Instance);
    }

    [Fact]
    public async Task StoreDown_ByDefault_ServesTheRequest()
    {
        var decision = await LimiterWithUnreachableStore(failClosed: false).AcquireAsync("key:a", 100, 3600, CancellationToken.None);
        Assert.True(decision.Allowed);
        Assert.True(decision.StoreFailed);
    }

    [Fact]
    public async Task StoreDown_WhenFailClosed_RefusesTheRequest()
    {
        var decision = await LimiterWithUnreachableStore(failClosed: true).AcquireAsync("key:a", 100, 3600, CancellationToken.None);
        Assert.False(decision.Allowed);
        Assert.True(decision.StoreFailed);
    }
}
