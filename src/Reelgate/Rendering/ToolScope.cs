namespace Reelgate.Rendering;

/// <summary>
/// What one ffmpeg or ffprobe run may see: its work folder (read and write) and a few files it may only read.
/// Every input must lie inside it; the sandbox shows the tool nothing else of the machine's data.
/// </summary>
public sealed record ToolScope(string? WorkDirectory, IReadOnlyList<string> ReadableFiles)
{
    public static readonly ToolScope None = new(null, []);

    public static ToolScope Folder(string workDirectory) => new(Path.GetFullPath(workDirectory), []);

    public static ToolScope File(string path) => new(null, [Path.GetFullPath(path)]);

    public bool Allows(string fullPath) =>
        ReadableFiles.Contains(fullPath, StringComparer.Ordinal)
        || (WorkDirectory is { } folder && fullPath.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal));
}
