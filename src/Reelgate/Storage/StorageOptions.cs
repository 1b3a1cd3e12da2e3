namespace Reelgate.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>local</c> (default) or <c>s3</c>. Also read from the flat <c>STORAGE_PROVIDER</c> variable.</summary>
    public string Provider { get; set; } = "local";

    public string LocalPath { get; set; } = ".data/storage";

    /// <summary>Where clients reach this app; signed links are built on it.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// HMAC secret for signed links. When empty, one is generated and kept in <see cref="SigningKeyPath"/>, which suffices
    /// for instances sharing one machine; deployments spanning machines must set the same value on every instance.
    /// </summary>
    public string SigningKey { get; set; } = "";

    public string SigningKeyPath { get; set; } = ".data/storage-signing.key";

    /// <summary>First segment of job output keys. Also read from the flat <c>STORAGE_PATH_PREFIX</c> variable.</summary>
    public string PathPrefix { get; set; } = "videos";

    /// <summary>How long stored outputs are kept; 0 keeps them forever. Links never outlive it. Flat: <c>STORAGE_RETENTION_HOURS</c>.</summary>
    public double RetentionHours { get; set; } = 24;

    /// <summary>How often the retention sweeper looks for outputs to delete.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan? Retention => RetentionHours > 0 ? TimeSpan.FromHours(RetentionHours) : null;

    public S3StorageOptions S3 { get; set; } = new();
}
