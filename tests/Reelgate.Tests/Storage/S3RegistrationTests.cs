using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reelgate.Common;
using Reelgate.Storage;

namespace Reelgate.Tests.Storage;

public sealed class S3RegistrationTests
{
    private static ServiceProvider Services(params (string Key, string Value)[] settings) =>
        new ServiceCollection()
            .AddStorage(new ConfigurationBuilder()
                .AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)))
                .Build())
            .BuildServiceProvider();

    [Fact]
    public void AddStorage_FlatS3Names_FillTheS3Settings()
    {
        using var services = Services(
            ("STORAGE_PROVIDER", "s3"), ("S3_ENDPOINT", "https://acct.r2.cloudflarestorage.com"), ("S3_REGION", "auto"),
            ("S3_BUCKET", "renders"), ("S3_ACCESS_KEY_ID", "id"), ("S3_SECRET_ACCESS_KEY", "secret"), ("STORAGE_ACL", "publicRead"),
            ("STORAGE_PUBLIC_BASE_URL", "https://media.example.com"), ("STORAGE_RETENTION_HOURS", "0"), ("GCS_PATH_PREFIX", "clips"));

        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;

        Assert.Equal(
            ("s3", "https://acct.r2.cloudflarestorage.com", "auto", "renders", "id", "secret", StorageAcl.PublicRead, "https://media.example.com", 0, "clips"),
            (options.Provider, options.S3.Endpoint, options.S3.Region, options.S3.Bucket, options.S3.AccessKeyId, options.S3.SecretAccessKey,
                options.S3.Acl, options.S3.PublicBaseUrl, options.RetentionHours, options.PathPrefix));
    }

    [Fact]
    public void AddStorage_GcsAliases_FillBucketAndAcl()
    {
        using var services = Services(("GCS_BUCKET", "gcs-renders"), ("GCS_ACL", "publicRead"));

        var s3 = services.GetRequiredService<IOptions<StorageOptions>>().Value.S3;

        Assert.Equal(("gcs-renders", StorageAcl.PublicRead), (s3.Bucket, s3.Acl));
    }

    [Fact]
    public void AddStorage_SectionValues_WinOverFlatNames()
    {
        using var services = Services(("S3_BUCKET", "flat"), ("Storage:S3:Bucket", "section"), ("STORAGE_ACL", "publicRead"), ("Storage:S3:Acl", "private"));

        var s3 = services.GetRequiredService<IOptions<StorageOptions>>().Value.S3;

        Assert.Equal(("section", StorageAcl.Private), (s3.Bucket, s3.Acl));
    }

    [Fact]
    public void AddStorage_S3ProviderWithoutBucket_FailsNamingTheSetting()
    {
        using var services = Services(("STORAGE_PROVIDER", "s3"));

        var failure = Assert.Throws<ConfigurationException>(() => services.GetRequiredService<IObjectStore>());

        Assert.Contains("S3_BUCKET", failure.Message);
    }

    [Fact]
    public void AddStorage_PartSizeOutsideFiveToSixteenMebibytes_IsRefused()
    {
        using var services = Services(("STORAGE_PROVIDER", "s3"), ("S3_BUCKET", "b"), ("Storage:S3:PartSizeBytes", "1048576"));

        var failure = Assert.Throws<ConfigurationException>(() => services.GetRequiredService<IObjectStore>());

        Assert.Contains("PartSizeBytes", failure.Message);
    }
}
