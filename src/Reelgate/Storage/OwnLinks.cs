using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Reelgate.Storage;

/// <summary>
/// Recognises links this server signed to its own local store, so its workers read those files from the store directly: the
/// fetch guard rightly refuses the private address such a link usually points at.
/// </summary>
public sealed class OwnLinks(IObjectStore store, LinkSigner signer, IOptions<StorageOptions> options, TimeProvider time)
{
    /// <summary>The key behind a valid, unexpired link to this server's store; null for any other URL.</summary>
    public string? KeyOf(Uri url)
    {
        if (store is not LocalObjectStore) return null;
        var prefix = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/files/";
        var path = url.GetLeftPart(UriPartial.Path);
        if (!path.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var key = Uri.UnescapeDataString(path[prefix.Length..]);
        var query = QueryHelpers.ParseQuery(url.Query);
        return ObjectKey.IsValid(key) && signer.Verify(key, query["expires"], query["sig"], time.GetUtcNow()) == LinkCheck.Valid ? key : null;
    }
}
