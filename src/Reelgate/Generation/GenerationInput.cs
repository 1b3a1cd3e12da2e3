using System.Text.Json;
using Reelgate.Common;

namespace Reelgate.Generation;

/// <summary>
/// A generation job's stored request: what every provider receives, in our terms. An uploaded image also has its
/// <paramref name="ImageKey"/>, so the local generator reads it from storage instead of over the network.
/// </summary>
public sealed record GenerationInput(string? Prompt, string? ImageUrl, int DurationSec, long Seed, string Ratio, string? ImageKey = null)
{
    public static readonly string[] Ratios = ["16:9", "9:16", "1:1"];

    public static readonly int[] Durations = [5, 10, 15];

    public string ToJson() => JsonSerializer.Serialize(this, Json.Options);

    public static GenerationInput FromJson(string json) =>
        JsonSerializer.Deserialize<GenerationInput>(json, Json.Options) ?? throw new JsonException("A generation request is empty.");
}
