namespace Reelgate.Storage;

/// <param name="Sha256">Lower-case hex digest of the content, when the store computed one.</param>
public sealed record StoredObject(string Key, long Length, string ContentType, string? Sha256);
