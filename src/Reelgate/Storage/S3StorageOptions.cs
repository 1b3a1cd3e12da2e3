namespace Reelgate.Storage;

public enum StorageAcl
{
    Private,

    /// <summary>Objects are readable by anyone (bucket policy, IAM or an R2 public bucket); links use the public base URL.</summary>
    PublicRead,
}

/// <summary>Section <c>Storage:S3</c>; each setting also has a flat variable (<c>S3_ENDPOINT</c>, <c>S3_BUCKET</c>, …).</summary>
public sealed class S3StorageOptions
{
    public const int MinPartSizeBytes = 5 * 1024 * 1024;
    public const int MaxPartSizeBytes = 16 * 1024 * 1024;

    /// <summary>Empty for AWS S3 itself; otherwise e.g. <c>https://&lt;account&gt;.r2.cloudflarestorage.com</c>, addressed path-style.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>Signing region: R2 and GCS take <c>auto</c>.</summary>
    public string Region { get; set; } = "us-east-1";

    public string Bucket { get; set; } = "";

    /// <summary>With the secret, the HMAC key pair; when both are empty the SDK's default credential chain applies.</summary>
    public string AccessKeyId { get; set; } = "";

    public string SecretAccessKey { get; set; } = "";

    /// <summary>
    /// Sent with no object: R2, GCS with uniform access and S3 buckets without ACLs reject object ACLs, so
    /// <see cref="StorageAcl.PublicRead"/> states that the bucket is public and links may use <see cref="PublicBaseUrl"/>.
    /// </summary>
    public StorageAcl Acl { get; set; } = StorageAcl.Private;

    /// <summary>Where the public bucket is served (e.g. an R2 custom domain); objects are at <c>{PublicBaseUrl}/{key}</c>.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Objects up to this size go up in one request; larger ones in parts of this size (5–16 MiB).</summary>
    public int PartSizeBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Parts uploaded at once; memory held per upload is (this + 1) × <see cref="PartSizeBytes"/>.</summary>
    public int MaxConcurrentParts { get; set; } = 2;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
