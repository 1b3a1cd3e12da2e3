using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Reelgate.Storage;

namespace Reelgate.Tests.Storage;

public sealed class S3UploadFailureTests
{
    private static S3StorageOptions Options() => new()
    {
        Endpoint = TestS3.Endpoint,
        Bucket = TestS3.Bucket,
        AccessKeyId = "S3RVER",
        SecretAccessKey = "S3RVER",
        PartSizeBytes = TestS3.PartSize,
        MaxConcurrentParts = 1,
    };

    [Fact]
    public async Task RunAsync_StoreRejectsAPart_ReportsThatRejectionAbortsTheUploadAndStoresNothing()
    {
        var options = Options();
        using var client = new RejectingClient(options, rejectedPart: 1);
        var upload = new S3Upload(client, options, NullLogger.Instance);
        var key = $"{TestS3.NewPrefix()}/rejected.mp4";

        var failure = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            upload.RunAsync(key, new MemoryStream(TestS3.Bytes(2 * TestS3.PartSize + 10)), "video/mp4", CancellationToken.None));

        Assert.Equal("InjectedRejection", failure.ErrorCode);
        Assert.Equal(1, client.Aborts);
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfAsync(client, key));
    }

    [Fact]
    public async Task RunAsync_PartArrivesAltered_FailsAsCorruptAndAbortsTheUpload()
    {
        var options = Options();
        using var client = new RejectingClient(options, alteredPart: 1);
        var upload = new S3Upload(client, options, NullLogger.Instance);
        var key = $"{TestS3.NewPrefix()}/altered.mp4";

        await Assert.ThrowsAsync<InvalidDataException>(() =>
            upload.RunAsync(key, new MemoryStream(TestS3.Bytes(TestS3.PartSize + 10)), "video/mp4", CancellationToken.None));

        Assert.Equal(1, client.Aborts);
    }

    private static async Task<HttpStatusCode> StatusOfAsync(IAmazonS3 client, string key)
    {
        try
        {
            return (await client.GetObjectMetadataAsync(TestS3.Bucket, key)).HttpStatusCode;
        }
        catch (AmazonS3Exception failure)
        {
            return failure.StatusCode;
        }
    }

    /// <summary>The real client against s3rver, except that it fails one part or sends another part's bytes in its place.</summary>
    private sealed class RejectingClient(S3StorageOptions options, int rejectedPart = 0, int alteredPart = 0)
        : AmazonS3Client(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), S3Clients.Config(options))
    {
        private int aborts;

        public int Aborts => Volatile.Read(ref aborts);

        public override Task<UploadPartResponse> UploadPartAsync(UploadPartRequest request, CancellationToken cancellationToken = default)
        {
            if (request.PartNumber == rejectedPart)
            {
                return Task.FromException<UploadPartResponse>(new AmazonS3Exception("rejected") { ErrorCode = "InjectedRejection" });
            }
            if (request.PartNumber == alteredPart)
            {
                request.InputStream = new MemoryStream(TestS3.Bytes((int)request.InputStream.Length, seed: 99));
            }
            return base.UploadPartAsync(request, cancellationToken);
        }

        public override Task<AbortMultipartUploadResponse> AbortMultipartUploadAsync(
            AbortMultipartUploadRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref aborts);
            return base.AbortMultipartUploadAsync(request, cancellationToken);
        }
    }
}
