using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reelgate.Tests.Fetch;

namespace Reelgate.Tests.Providers;

/// <summary>
/// RunPod serverless as documented: /v2/{endpoint}/run, /status/{id}, /cancel/{id}, Bearer auth, webhook on completion,
/// answering with the Wan 2.2 worker's progress and output shapes (workers/wan22/contract.json).
/// </summary>
internal sealed class FakeRunPod : FakeUpstream
{
    public const string ApiKey = "rp_test_key";
    public const string Endpoint = "wan22-test";
    private static readonly string[] States = ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"];

    private FakeRunPod(string video) : base(video)
    {
    }

    public List<string> CanceledIds { get; } = [];

    public static async Task<FakeRunPod> StartAsync()
    {
        var fake = new FakeRunPod(await TestMedia.VideoAsync());
        fake.Server = await TestHttpServer.StartAsync(app =>
        {
            var v2 = app.MapGroup($"/v2/{Endpoint}").AddEndpointFilter(async (context, next) =>
                context.HttpContext.Request.Headers.Authorization == $"Bearer {ApiKey}" ? await next(context) : Results.Unauthorized());
            v2.MapPost("/run", (Delegate)fake.RunAsync);
            v2.MapGet("/status/{id}", fake.StatusAsync);
            v2.MapPost("/cancel/{id}", fake.Cancel);
            app.MapGet("/outputs/{id}.mp4", (string id) => fake.Output(id));
        });
        return fake;
    }

    private async Task<IResult> RunAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        if (NextSubmitFailure(context) is { } failure) return failure;
        if (body?["input"] is not JsonObject input || (input["prompt"] is null && input["imageUrl"] is null))
        {
            return Results.BadRequest(new { error = "input must contain prompt or imageUrl" });
        }
        var job = Create($"{Guid.NewGuid()}-u1", body["webhook"]?.GetValue<string>(), body.ToJsonString(), States);
        if (SubmitDelay > TimeSpan.Zero) await Task.Delay(SubmitDelay);
        return Results.Ok(new { id = job.Id, status = "IN_QUEUE" });
    }

    private async Task<IResult> StatusAsync(string id)
    {
        if (await NextStatusFailureAsync() is { } failure) return failure;
        return Jobs.TryGetValue(id, out var job) ? Results.Json(Status(job)) : Results.NotFound(new { error = "job not found" });
    }

    private IResult Cancel(string id)
    {
        if (!Jobs.TryGetValue(id, out var job)) return Results.NotFound();
        job.Canceled = true;
        lock (CanceledIds) CanceledIds.Add(id);
        return Results.Ok(new { id, status = "CANCELLED" });
    }

    private JsonObject Status(FakeJob job)
    {
        var input = JsonNode.Parse(job.Request)!["input"]!;
        var state = job.Canceled ? "CANCELLED" : job.IsLast && job.FailWith is not null ? "FAILED" : job.State;
        var status = new JsonObject { ["id"] = job.Id, ["status"] = state, ["delayTime"] = 120, ["executionTime"] = 900 };
        if (state == "IN_PROGRESS") status["output"] = new JsonObject { ["type"] = "progress", ["progress"] = 0.5, ["stage"] = "denoise", ["segment"] = 1, ["segments"] = 1 };
        if (state == "COMPLETED")
        {
            status["output"] = new JsonObject
            {
                ["r2Url"] = OutputUrl(job.Id).ToString(),
                ["durationSec"] = Math.Round((1 + input["durationSec"]!.GetValue<int>() / 5 * 120) / 24.0, 3),
                ["seed"] = input["seed"]?.DeepClone(),
            };
        }
        if (state == "FAILED")
        {
            status["error"] = JsonSerializer.Serialize(new { error_type = "RuntimeError", error_message = job.FailWith, error_traceback = "…" });
        }
        return status;
    }

    protected override string CallbackBody(FakeJob job) => Status(job).ToJsonString();
}
