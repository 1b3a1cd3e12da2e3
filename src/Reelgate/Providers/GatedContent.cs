using System.Net;

namespace Reelgate.Providers;

/// <summary>
/// A request body that asks a gate just before its first byte leaves. A submit marks its job "submitting" there: once
/// the connection is open and the headers are going out, so a process that dies before the mark leaves no doubt that
/// the upstream received nothing, and one that dies after it leaves the mark for the next worker to wait on.
/// </summary>
internal sealed class GatedContent : HttpContent
{
    private readonly byte[] _body;
    private readonly Func<CancellationToken, Task<bool>> _gate;

    private GatedContent(byte[] body, HttpContent original, Func<CancellationToken, Task<bool>> gate)
    {
        _body = body;
        _gate = gate;
        foreach (var header in original.Headers) Headers.TryAddWithoutValidation(header.Key, header.Value);
        Headers.ContentLength = body.Length;
    }

    public static async Task<GatedContent> CreateAsync(HttpContent original, Func<CancellationToken, Task<bool>> gate, CancellationToken ct)
    {
        using (original) return new GatedContent(await original.ReadAsByteArrayAsync(ct), original, gate);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (!await _gate(cancellationToken)) throw new OperationCanceledException("The submit was withdrawn before its body was sent.");
        await stream.WriteAsync(_body, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Length;
        return true;
    }
}
