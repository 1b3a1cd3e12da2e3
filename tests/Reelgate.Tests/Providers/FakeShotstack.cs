using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reelgate.Tests.Fetch;

namespace Reelgate.Tests.Providers;

/// <summary>Shotstack's Edit API as documented: POST /render (201 envelope), GET /render/{id}, x-api-key, the callback on completion.</summary>
internal sealed class FakeShotstack : FakeUpstream
{
    public const string ApiKey = "ss_test_key";
    private const string Owner = "5ca6hu7s9k";
    private static readonly string[] States = ["queued", "fetching", "rendering", "saving", "done"];

    private FakeShotstack(string video) : base(video)
    {
    }

    /// <summary>The Edit API base URL, as SHOTSTACK_API_URL names it.</summary>
    public Uri EditApi => new(BaseAddress, "/edit/v1");

    public static async Task<FakeShotstack> StartAsync()
    {
        var fake = new FakeShotstack(await TestMedia.VideoAsync());
        fake.Server = await TestHttpServer.StartAsync(app =>
        {
            var api = app.MapGroup("/edit/v1").AddEndpointFilter(async (context, next) =>
                context.HttpContext.Request.Headers["x-api-key"] == ApiKey
                    ? await next(context)
                    : Results.Json(new { message = "Forbidden" }, statusCode: 403));
            api.MapPost("/render", (Delegate)fake.PostAsync);
            api.MapGet("/render/{id}", fake.GetAsync);
            app.MapGet("/outputs/{id}.mp4", (string id) => fake.Output(id));
        });
        return fake;
    }

    private async Task<IResult> PostAsync(HttpContext context)
    {
        var edit = await JsonNode.ParseAsync(context.Request.Body);
        if (NextSubmitFailure(context) is { } failure) return failure;
        if (edit?["timeline"] is null || edit["output"] is null)
        {
            return Results.Json(new { success = false, message = "Bad Request", response = new { error = "timeline and output are required" } }, statusCode: 400);
        }
        var job = Create(Guid.NewGuid().ToString(), edit["callback"]?.GetValue<string>(), edit.ToJsonString(), States);
        if (SubmitDelay > TimeSpan.Zero) await Task.Delay(SubmitDelay);
        return Results.Json(new { success = true, message = "Created", response = new { message = "Render Successfully Queued", id = job.Id } }, statusCode: 201);
    }

    private async Task<IResult> GetAsync(string id)
    {
        if (await NextStatusFailureAsync() is { } failure) return failure;
        if (!Jobs.TryGetValue(id, out var job))
        {
            return Results.Json(new { success = false, message = "Bad Request", response = new { } }, statusCode: 400);
        }
        return Results.Json(new { success = true, message = "OK", response = Render(job) });
    }

    private JsonObject Render(FakeJob job)
    {
        var status = job.IsLast && job.FailWith is not null ? "failed" : job.State;
        var render = new JsonObject
        {
            ["id"] = job.Id, ["owner"] = Owner, ["plan"] = "basic", ["status"] = status,
            ["created"] = "2026-11-21T09:42:29.446Z", ["updated"] = "2026-11-21T09:42:31.446Z",
        };
        if (status == "done")
        {
            render["url"] = OutputUrl(job.Id).ToString();
            render["duration"] = 1;
            render["renderTime"] = 940.5;
        }
        if (status == "failed") render["error"] = job.FailWith;
        return render;
    }

    protected override string CallbackBody(FakeJob job)
    {
        var render = Render(job);
        return new JsonObject
        {
            ["type"] = "edit", ["action"] = "render", ["id"] = job.Id, ["owner"] = Owner, ["status"] = render["status"]!.DeepClone(),
            ["url"] = render["url"]?.DeepClone(), ["error"] = render["error"]?.DeepClone(), ["completed"] = "2026-11-21T09:42:31.446Z",
        }.ToJsonString();
    }
}
