namespace Reelgate.Rendering;

/// <summary>The parsed Edit, or the validation errors keyed by JSON path (e.g. "timeline.tracks[0].clips[1].length").</summary>
public sealed record EditParseResult(Edit? Edit, IReadOnlyDictionary<string, string[]> Errors, string? MergedJson)
{
    public bool IsValid => Edit is not null && Errors.Count == 0;
}
