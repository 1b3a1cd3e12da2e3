namespace Reelgate.Fetch;

/// <summary>A completely downloaded file; <see cref="ContentType"/> is what the server claimed, <see cref="Kind"/> what the bytes are.</summary>
public sealed record FetchedFile(string Path, long Length, string? ContentType, ContentKind Kind);
