using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Common;
using Reelgate.Data;
using Reelgate.Limits;

namespace Reelgate.Tests.Limits;

public sealed class RateLimiterFailureTests
{
    private static DistributedRateLimiter LimiterWithUnreachableStore(bool failClosed)
    {
        var unreachable = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z;Timeout=2");
        var availability = new DatabaseAvailability(TimeProvider.System, NullLogger<DatabaseAvailability>.Instance);
        return new DistributedRateLimiter(new RateLimitStore(unreachable), availability, Options.Create(new RateLimitOptions { FailClosed = failClosed }),
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

    [Fact]
    public async Task StoreDown_WhenFailClosed_Answers503UnavailableWithRetryAfter()
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddOptions().AddProblemDetails().BuildServiceProvider(),
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimNames.UserId, Guid.NewGuid().ToString())], "test")),
        };
        context.Request.Path = "/api/v1/me";
        context.Response.Body = new MemoryStream();
        var middleware = new RateLimitMiddleware(_ => throw new InvalidOperationException("a refused request must not reach the endpoint"),
            LimiterWithUnreachableStore(failClosed: true));

        await middleware.InvokeAsync(context);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
        context.Response.Body.Position = 0;
        var problem = (await JsonDocument.ParseAsync(context.Response.Body)).RootElement;
        Assert.Equal("/problems/unavailable", problem.GetProperty("type").GetString());
    }
}
