using Reelgate.Generation;

namespace Reelgate.Providers;

/// <summary>An upstream that generates clips and has limits of its own (durations, ratios, prompt length) checked at submit.</summary>
public interface IGenerationProvider
{
    /// <summary>Field errors, keyed by request path, for what this upstream cannot make.</summary>
    IEnumerable<(string Path, string Message)> Check(GenerationInput input);
}
