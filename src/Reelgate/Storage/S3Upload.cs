using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Reelgate.Storage;

/// <summary>
/// Writes one object from a stream of any length: one PutObject when the stream ends within a part, otherwise a multipart
/// upload whose parts are read into reused buffers, so no more than <c>MaxConcurrentParts + 1</c> parts sit in memory.
/// Every request carries the body's MD5 for the store to check, and the returned ETags are compared with it.
/// </summary>
internal sealed partial class S3Upload(IAmazonS3 client, S3StorageOptions options, ILogger logger)
{
    public const string Sha256Metadata = "sha256";

    private const int MaxParts = 10_000;

    private readonly PartBuffers buffers = new(options.PartSizeBytes, Math.Max(options.MaxConcurrentParts, 1) + 1);

    private int PartSize => options.PartSizeBytes;

    /// <summary>
    /// Over TLS the body's MD5 already guards it, so the SigV4 payload hash (a SHA-256 pass over every byte) is left out;
    /// plain-HTTP endpoints do not allow that.
    /// </summary>
    private bool SignPayload { get; } = options.Endpoint.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    public async Task<StoredObject> RunAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var first = buffers.Rent();
        int length;
        try
        {
            length = await FillAsync(content, first, sha256, cancellationToken);
        }
        catch
        {
            buffers.Return(first);
            throw;
        }
        // Both take over the buffer and give it back.
        return length < PartSize
            ? await PutSingleAsync(key, first, length, contentType, sha256, cancellationToken)
            : await PutMultipartAsync(key, content, first, contentType, sha256, cancellationToken);
    }

    private async Task<StoredObject> PutSingleAsync(
        string key, byte[] buffer, int length, string contentType, IncrementalHash sha256, CancellationToken cancellationToken)
    {
        try
        {
            var md5 = MD5.HashData(buffer.AsSpan(0, length));
            var digest = Convert.ToHexStringLower(sha256.GetHashAndReset());
            using var body = new MemoryStream(buffer, 0, length, writable: false);
            var request = new PutObjectRequest
            {
                BucketName = options.Bucket,
                Key = key,
                InputStream = body,
                AutoCloseStream = false,
                ContentType = contentType,
                MD5Digest = Convert.ToBase64String(md5),
                UseChunkEncoding = false,
                DisablePayloadSigning = !SignPayload,
            };
            request.Headers.ContentLength = length;
            request.Metadata[Sha256Metadata] = digest;
            var response = await client.PutObjectAsync(request, cancellationToken);
            S3ETags.EnsureMatches(response.ETag, md5, response.ServerSideEncryptionMethod, key);
            return new StoredObject(key, length, contentType, digest);
        }
        finally
        {
            buffers.Return(buffer);
        }
    }

    private async Task<StoredObject> PutMultipartAsync(
        string key, Stream content, byte[] first, string contentType, IncrementalHash sha256, CancellationToken cancellationToken)
    {
        string uploadId;
        try
        {
            var initiated = await client.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = options.Bucket, Key = key, ContentType = contentType }, cancellationToken);
            uploadId = initiated.UploadId;
        }
        catch
        {
            buffers.Return(first);
            throw;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(Math.Max(options.MaxConcurrentParts, 1));
        var uploads = new List<Task<UploadedPart>>();
        long total = 0;
        byte[]? buffer = first;
        CompleteMultipartUploadResponse completed;
        try
        {
            var length = PartSize;
            for (var partNumber = 1; ; partNumber++)
            {
                if (partNumber > MaxParts)
                {
                    throw new InvalidOperationException($"{key} needs more than {MaxParts} parts of {PartSize} bytes; raise Storage:S3:PartSizeBytes.");
                }
                total += length;
                await slots.WaitAsync(stop.Token);
                uploads.Add(UploadPartAsync(key, uploadId, partNumber, buffer, length, slots, stop));
                buffer = null;
                if (length < PartSize)
                {
                    break;
                }
                buffer = buffers.Rent();
                length = await FillAsync(content, buffer, sha256, stop.Token);
                if (length == 0)
                {
                    break;
                }
            }
            var parts = await Task.WhenAll(uploads);
            completed = await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = options.Bucket,
                Key = key,
                UploadId = uploadId,
                PartETags = parts.Select(part => new PartETag(part.Number, part.ETag)).ToList(),
            }, cancellationToken);
        }
        catch (Exception failure)
        {
            await stop.CancelAsync();
            // Parts still in flight hold buffers; they end quickly once cancelled.
            await ((Task)Task.WhenAll(uploads)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await AbortAsync(key, uploadId);
            // A failed part cancels the reading loop; the part's failure is the one to report.
            if (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested
                && uploads.FirstOrDefault(upload => upload.IsFaulted)?.Exception?.InnerException is { } partFailure)
            {
                ExceptionDispatchInfo.Throw(partFailure);
            }
            throw;
        }
        finally
        {
            if (buffer is not null)
            {
                buffers.Return(buffer);
            }
        }
        try
        {
            S3ETags.EnsureMatchesMultipart(completed.ETag, uploads.Select(upload => upload.Result.Md5).ToList(), completed.ServerSideEncryptionMethod, key);
        }
        catch (InvalidDataException)
        {
            await client.DeleteObjectAsync(options.Bucket, key, CancellationToken.None);
            throw;
        }
        return new StoredObject(key, total, contentType, Convert.ToHexStringLower(sha256.GetHashAndReset()));
    }

    private async Task<UploadedPart> UploadPartAsync(
        string key, string uploadId, int partNumber, byte[] buffer, int length, SemaphoreSlim slots, CancellationTokenSource stop)
    {
        try
        {
            // Hashing here, off the reading loop, lets the next part be read meanwhile.
            await Task.Yield();
            var md5 = MD5.HashData(buffer.AsSpan(0, length));
            using var body = new MemoryStream(buffer, 0, length, writable: false);
            var response = await client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = options.Bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = partNumber,
                PartSize = length,
                InputStream = body,
                MD5Digest = Convert.ToBase64String(md5),
                UseChunkEncoding = false,
                DisablePayloadSigning = !SignPayload,
            }, stop.Token);
            S3ETags.EnsureMatches(response.ETag, md5, response.ServerSideEncryptionMethod, $"{key} part {partNumber}");
            return new UploadedPart(partNumber, response.ETag, md5);
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
        finally
        {
            buffers.Return(buffer);
            slots.Release();
        }
    }

    private async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            await client.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = options.Bucket, Key = key, UploadId = uploadId }, CancellationToken.None);
        }
        catch (Exception failure) when (failure is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            // The upload's own failure is what the caller needs; the store's lifecycle rule clears what is left behind.
            LogAbortFailed(logger, failure, key, uploadId);
        }
    }

    /// <summary>Reads until the buffer holds a whole part or the stream ends; returns the bytes read.</summary>
    private async Task<int> FillAsync(Stream content, byte[] buffer, IncrementalHash sha256, CancellationToken cancellationToken)
    {
        var length = await content.ReadAtLeastAsync(buffer.AsMemory(0, PartSize), PartSize, throwOnEndOfStream: false, cancellationToken);
        sha256.AppendData(buffer, 0, length);
        return length;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not abort the multipart upload {UploadId} of {Key}; its parts stay until the bucket's lifecycle rule removes them")]
    private static partial void LogAbortFailed(ILogger logger, Exception failure, string key, string uploadId);

    private sealed record UploadedPart(int Number, string ETag, byte[] Md5);
}
