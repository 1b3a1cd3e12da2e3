namespace Reelgate.Rendering;

/// <summary>A Shotstack Edit: what to render and how to encode it.</summary>
public sealed record Edit(
    Timeline Timeline,
    Output Output,
    IReadOnlyList<MergeField> Merge,
    string? Callback,
    string? Disk,
    string? Instance);

public sealed record MergeField(string Find, string ReplaceJson);

public sealed record Timeline(
    string Background,
    IReadOnlyList<Font> Fonts,
    Soundtrack? Soundtrack,
    IReadOnlyList<Track> Tracks,
    bool Cache);

public sealed record Font(string Src);

public sealed record Soundtrack(string Src, string? Effect, double Volume);

public sealed record Track(IReadOnlyList<Clip> Clips);
