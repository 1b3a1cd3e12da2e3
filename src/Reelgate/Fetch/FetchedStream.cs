namespace Reelgate.Fetch;

/// <summary>
/// A download being read: the response body, cut off with <see cref="FetchException"/> when it passes the size limit or the
/// deadline, or when the connection breaks. <see cref="ContentType"/> and <see cref="ContentLength"/> are what the server claimed.
/// </summary>
public sealed class FetchedStream : Stream
{
    private readonly HttpResponseMessage response;
    private readonly Stream body;
    private readonly CancellationTokenSource deadline;
    private readonly CancellationToken callerToken;
    private readonly long maxBytes;
    private readonly TimeSpan timeout;
    private long position;

    internal FetchedStream(
        Uri url, HttpResponseMessage response, Stream body, CancellationTokenSource deadline, CancellationToken callerToken,
        long maxBytes, TimeSpan timeout)
    {
        Url = url;
        this.response = response;
        this.body = body;
        this.deadline = deadline;
        this.callerToken = callerToken;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    /// <summary>The URL the content came from, after redirects.</summary>
    public Uri Url { get; }

    public string? ContentType => response.Content.Headers.ContentType?.ToString();

    public long? ContentLength => response.Content.Headers.ContentLength;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token)
            : null;
        int read;
        try
        {
            read = await body.ReadAsync(buffer, linked?.Token ?? deadline.Token);
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested
                                        && AssetFetcher.Translate(failure, Url, timeout, callerToken) is { } translated)
        {
            throw translated;
        }
        position += read;
        return position <= maxBytes
            ? read
            : throw new FetchException(FetchErrorCodes.TooLarge, $"{UrlGuard.Display(Url)} is larger than the limit of {maxBytes} bytes.");
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            body.Dispose();
            response.Dispose();
            deadline.Dispose();
        }
        base.Dispose(disposing);
    }
}
