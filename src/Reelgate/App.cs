namespace Reelgate;

public static class App
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "ok" }));
        return app;
    }
}
