using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reelgate.Tests.Fetch;

namespace Reelgate.Tests.Providers;

/// <summary>
/// Runway's developer API as documented: POST /v1/image_to_video and /v1/text_to_video, GET and DELETE /v1/tasks/{id},
/// Bearer auth and a required X-Runway-Version. No webhooks. Tasks may sit THROTTLED before they run.
/// </summary>
internal sealed class FakeRunway : FakeUpstream
{
    public const string Version = "2024-11-06";
    private static readonly string[] States = ["PENDING", "RUNNING", "SUCCEEDED"];

    private FakeRunway(string video) : base(video)
    {
    }

    /// <summary>How many state steps a new task spends THROTTLED first.</summary>
    public int ThrottledSteps { get; set; }

    public ConcurrentQueue<string> Paths { get; } = new();

    public ConcurrentQueue<string> ObservedStatuses { get; } = new();

    public static async Task<FakeRunway> StartAsync()
    {
        var fake = new FakeRunway(await TestMedia.VideoAsync());
        fake.Server = await TestHttpServer.StartAsync(app =>
        {
            var v1 = app.MapGroup("/v1").AddEndpointFilter(async (context, next) =>
            {
                var headers = context.HttpContext.Request.Headers;
                if (!headers.Authorization.ToString().StartsWith("Bearer key_", StringComparison.Ordinal)) return Results.Unauthorized();
                return headers["X-Runway-Version"] == Version
                    ? await next(context)
                    : Results.BadRequest(new { error = "X-Runway-Version header is required" });
            });
            v1.MapPost("/image_to_video", (Delegate)((HttpContext c) => fake.CreateAsync(c, "/v1/image_to_video")));
            v1.MapPost("/text_to_video", (Delegate)((HttpContext c) => fake.CreateAsync(c, "/v1/text_to_video")));
            v1.MapGet("/tasks/{id}", fake.TaskAsync);
            v1.MapDelete("/tasks/{id}", (string id) =>
            {
                if (fake.Jobs.TryGetValue(id, out var job)) job.Canceled = true;
                return Results.NoContent();
            });
            app.MapGet("/outputs/{id}.mp4", (string id) => fake.Output(id));
        });
        return fake;
    }

    private async Task<IResult> CreateAsync(HttpContext context, string path)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        if (NextSubmitFailure(context) is { } failure) return failure;
        Paths.Enqueue(path);
        var states = Enumerable.Repeat("THROTTLED", ThrottledSteps).Concat(States).ToArray();
        var job = Create(Guid.NewGuid().ToString(), null, body!.ToJsonString(), states);
        if (SubmitDelay > TimeSpan.Zero) await Task.Delay(SubmitDelay);
        return Results.Ok(new { id = job.Id });
    }

    private async Task<IResult> TaskAsync(string id)
    {
        if (await NextStatusFailureAsync() is { } failure) return failure;
        if (!Jobs.TryGetValue(id, out var job)) return Results.NotFound(new { error = "Task not found" });
        var status = job.Canceled ? "CANCELLED" : job.IsLast && job.FailWith is not null ? "FAILED" : job.State;
        ObservedStatuses.Enqueue(status);
        var task = new JsonObject { ["id"] = job.Id, ["createdAt"] = "2026-11-21T09:42:29.446Z", ["status"] = status };
        if (status == "RUNNING") task["progress"] = 0.42;
        if (status == "SUCCEEDED") task["output"] = new JsonArray(OutputUrl(job.Id).ToString());
        if (status == "FAILED")
        {
            task["failure"] = job.FailWith;
            task["failureCode"] = "SAFETY.INPUT.TEXT";
        }
        return Results.Json(task);
    }

    protected override string CallbackBody(FakeJob job) => "";
}
