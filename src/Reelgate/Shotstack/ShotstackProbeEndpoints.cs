using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.ApiKeys;

namespace Reelgate.Shotstack;

/// <summary>GET /probe/{url}: ffprobe's JSON for a media URL, in Shotstack's envelope.</summary>
public static class ShotstackProbeEndpoints
{
    private const string Segment = "/probe/";

    public static void MapShotstackProbe(this RouteGroupBuilder group) =>
        group.MapGet("/probe/{**url}", GetProbe).RequireScope(Scopes.Render);

    private static async Task<JsonHttpResult<ShotstackEnvelope<object>>> GetProbe(HttpContext http, ShotstackProbe probe, CancellationToken ct)
    {
        var url = RequestedUrl(http);
        if (string.IsNullOrEmpty(url)) return ShotstackEndpoints.Error(StatusCodes.Status400BadRequest, "url: is required, percent-encoded into the path");
        return await probe.ProbeAsync(url, ct) switch
        {
            // Shotstack answers a probe with message "Created", and so do we, for clients that compare it.
            ProbeResult.Probed p => ShotstackEndpoints.Envelope(StatusCodes.Status200OK, p.Json, "Created"),
            ProbeResult.Refused r => ShotstackEndpoints.Error(StatusCodes.Status400BadRequest, r.Error),
            var other => throw new InvalidOperationException($"Unexpected probe result {other}"),
        };
    }

    /// <summary>
    /// The URL as the client encoded it, decoded once: the routed path has had some escapes (but not %2F) decoded already,
    /// so decoding it again would corrupt a URL that itself holds escapes such as %20.
    /// </summary>
    internal static string? RequestedUrl(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/') raw = http.Request.PathBase.Add(http.Request.Path).ToUriComponent();
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? raw : raw[..query];
        var start = path.IndexOf(Segment, StringComparison.OrdinalIgnoreCase);
        return start < 0 ? null : Uri.UnescapeDataString(path[(start + Segment.Length)..]);
    }
}
