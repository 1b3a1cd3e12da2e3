namespace Reelgate.Storage;

/// <param name="ExpiresAt">When the link stops working; null for a public link to an object kept forever.</param>
public sealed record DownloadLink(Uri Url, DateTimeOffset? ExpiresAt);
