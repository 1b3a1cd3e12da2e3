using System.Collections.Frozen;

namespace Reelgate.Fetch;

public static class ContentKinds
{
    /// <summary>The image formats accepted as generation input, judged by content rather than by name or header.</summary>
    public static readonly FrozenSet<ContentKind> Images = new[] { ContentKind.Jpeg, ContentKind.Png, ContentKind.Webp }.ToFrozenSet();

    public static string Slug(this ContentKind kind) => kind.ToString().ToLowerInvariant();
}
