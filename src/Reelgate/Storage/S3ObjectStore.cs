using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;
using Reelgate.Common;

namespace Reelgate.Storage;

/// <summary>
/// Keeps objects in an S3-compatible bucket (AWS S3, Cloudflare R2, Google Cloud Storage's XML API, MinIO) under their keys
/// as given. Uploads stream through <see cref="S3Upload"/>; links are presigned GETs, or public URLs for a public bucket.
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    private const int FileBufferSize = 81920;

    private readonly AmazonS3Client client;
    private readonly StorageOptions options;
    private readonly TimeProvider time;
    private readonly S3Upload upload;

    public S3ObjectStore(IOptions<StorageOptions> options, TimeProvider time, ILogger<S3ObjectStore> logger)
    {
        this.options = options.Value;
        this.time = time;
        var s3 = this.options.S3;
        if (s3.Bucket.Length == 0)
        {
            throw new ConfigurationException("Storage provider 's3' needs a bucket: set S3_BUCKET (or Storage:S3:Bucket).");
        }
        if (s3.PartSizeBytes is < S3StorageOptions.MinPartSizeBytes or > S3StorageOptions.MaxPartSizeBytes)
        {
            throw new ConfigurationException(
                $"Storage:S3:PartSizeBytes must be between {S3StorageOptions.MinPartSizeBytes} and {S3StorageOptions.MaxPartSizeBytes}.");
        }
        client = S3Clients.Create(s3);
        upload = new S3Upload(client, s3, logger);
    }

    private string Bucket => options.S3.Bucket;

    public Task<StoredObject> PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        return upload.RunAsync(key, content, string.IsNullOrWhiteSpace(contentType) ? ContentTypes.FromKey(key) : contentType, cancellationToken);
    }

    public async Task<StoredObject> PutFileAsync(string key, string path, string contentType, CancellationToken cancellationToken = default)
    {
        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize, useAsync: true);
        return await PutAsync(key, source, contentType, cancellationToken);
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        try
        {
            var response = await client.GetObjectAsync(Bucket, key, cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception missing) when (missing.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        try
        {
            await client.GetObjectMetadataAsync(Bucket, key, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception missing) when (missing.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        try
        {
            await client.DeleteObjectAsync(Bucket, key, cancellationToken);
        }
        catch (AmazonS3Exception missing) when (missing.StatusCode == HttpStatusCode.NotFound)
        {
            // Stores differ on deleting a missing key; either way it is gone.
        }
    }

    public async Task<DownloadLink> GetDownloadLinkAsync(
        string key, TimeSpan lifetime, DateTimeOffset? retentionEnd, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        var now = time.GetUtcNow();
        var expires = LinkExpiry.Compute(now, lifetime, retentionEnd, options.RetentionHours);
        if (options.S3.Acl == StorageAcl.PublicRead && options.S3.PublicBaseUrl.Length > 0)
        {
            return new DownloadLink(new Uri($"{options.S3.PublicBaseUrl.TrimEnd('/')}/{key}"), retentionEnd);
        }
        var url = await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = expires.UtcDateTime,
            Protocol = options.S3.Endpoint.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? Protocol.HTTP : Protocol.HTTPS,
        });
        return new DownloadLink(new Uri(url), expires);
    }

    public async Task<bool> CheckHealthAsync(CancellationToken cancellationToken = default) => await FindProblemAsync(cancellationToken) is null;

    /// <summary>Null when the bucket answers; otherwise what is wrong with it, as a sentence for the operator.</summary>
    public async Task<string?> FindProblemAsync(CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.S3.HealthTimeout);
        var where = options.S3.Endpoint is { Length: > 0 } endpoint ? endpoint : $"AWS S3 in {options.S3.Region}";
        try
        {
            await client.HeadBucketAsync(new HeadBucketRequest { BucketName = Bucket }, deadline.Token);
            return null;
        }
        catch (AmazonServiceException missing) when (missing.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return $"the bucket '{Bucket}' does not exist at {where}: create it, or set S3_BUCKET to one that does.";
        }
        catch (AmazonServiceException denied) when (denied.StatusCode is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized)
        {
            return $"{where} refused access to the bucket '{Bucket}': check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY.";
        }
        catch (Exception failure) when (failure is AmazonServiceException or AmazonClientException or HttpRequestException or IOException
                                        || (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return $"the bucket '{Bucket}' at {where} did not answer within {options.S3.HealthTimeout.TotalSeconds:0.#} s ({failure.Message.TrimEnd('.')}): check S3_ENDPOINT.";
        }
    }

    public void Dispose() => client.Dispose();
}
