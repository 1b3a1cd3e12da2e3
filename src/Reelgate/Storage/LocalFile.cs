namespace Reelgate.Storage;

/// <summary>A stored object as a file on this machine, ready to be served.</summary>
public sealed record LocalFile(string Path, string ContentType, long Length, DateTimeOffset LastModified);
