using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reelgate.Common;

namespace Reelgate.Tests.Common;

public class ErrorHandlerTests
{
    private static async Task<(int Status, JsonElement Problem)> HandleAsync(Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        var handler = new ErrorHandler(services.GetRequiredService<IProblemDetailsService>(),
            new Reelgate.Data.DatabaseAvailability(TimeProvider.System, NullLogger<Reelgate.Data.DatabaseAvailability>.Instance), NullLogger<ErrorHandler>.Instance);

        Assert.True(await handler.TryHandleAsync(context, exception, CancellationToken.None));

        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.CharacterNotInRepertoire)]
    [InlineData(PostgresErrorCodes.UntranslatableCharacter)]
    public async Task TextTheDatabaseRefuses_IsABadRequest_NotAServerError(string sqlState)
    {
        var refused = new PostgresException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "ERROR", sqlState);

        var (status, problem) = await HandleAsync(refused);

        Assert.Equal(StatusCodes.Status400BadRequest, status);
        Assert.Equal("/problems/unstorable-text", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task OtherDatabaseErrors_StayServerErrors()
    {
        var (status, _) = await HandleAsync(new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected));

        Assert.Equal(StatusCodes.Status500InternalServerError, status);
    }
}
