using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Reelgate.Storage;

internal static class S3Clients
{
    public static AmazonS3Client Create(S3StorageOptions options) =>
        options.AccessKeyId.Length > 0 || options.SecretAccessKey.Length > 0
            ? new AmazonS3Client(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), Config(options))
            : new AmazonS3Client(Config(options));

    public static AmazonS3Config Config(S3StorageOptions options)
    {
        var config = new AmazonS3Config
        {
            // R2 and GCS reject the SDK's default checksum headers, and s3rver stores checksum-trailer bodies verbatim.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = options.RequestTimeout,
            MaxConnectionsPerServer = Math.Max(options.MaxConcurrentParts, 1) + 8,
        };
        if (options.Endpoint.Length > 0)
        {
            config.ServiceURL = options.Endpoint;
            config.AuthenticationRegion = options.Region;
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        return config;
    }
}
