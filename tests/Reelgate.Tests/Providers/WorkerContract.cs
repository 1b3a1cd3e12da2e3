using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Providers;

/// <summary>workers/wan22/contract.json, the one schema the RunPod adapter and the Wan 2.2 worker are both tested against.</summary>
internal static class WorkerContract
{
    public static readonly string Folder = Path.Combine(ReelgateProcess.RepositoryRoot(), "workers", "wan22");

    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new();

    /// <summary>What breaks the contract's <paramref name="definition"/> (input, output or progress); empty when it holds.</summary>
    public static IReadOnlyList<string> Errors(string definition, JsonElement instance)
    {
        var results = Schemas.GetOrAdd(definition, Build)
            .Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid) return [];
        return new[] { results }.Concat(results.Details ?? [])
            .SelectMany(r => (r.Errors ?? new Dictionary<string, string>()).Select(e => $"{r.InstanceLocation} {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid")
            .ToList();
    }

    public static IReadOnlyList<string> Errors(string definition, string json) => Errors(definition, JsonDocument.Parse(json).RootElement);

    private static JsonSchema Build(string definition)
    {
        var contract = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "contract.json")))!.AsObject();
        contract["$id"] = $"https://reelgate.dev/workers/wan22/contract/{definition}.json";
        contract["$ref"] = $"#/$defs/{definition}";
        return JsonSchema.FromText(contract.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }
}
