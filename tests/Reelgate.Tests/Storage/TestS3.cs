using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Fetch;
using Reelgate.Storage;

namespace Reelgate.Tests.Storage;

/// <summary>The S3 server ./test starts (s3rver, see scripts/provision.sh), with a key prefix of its own per use.</summary>
internal static class TestS3
{
    public const int PartSize = S3StorageOptions.MinPartSizeBytes;

    public static string Endpoint => Required("TEST_S3_ENDPOINT");

    public static string Bucket => Required("TEST_S3_BUCKET");

    public static string NewPrefix() => $"t{Guid.NewGuid():N}";

    /// <summary>Settings for an S3 store on the test server; later pairs override earlier ones.</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "s3",
            ["Storage:S3:Endpoint"] = Endpoint,
            ["Storage:S3:Bucket"] = Bucket,
            ["Storage:S3:AccessKeyId"] = "S3RVER",
            ["Storage:S3:SecretAccessKey"] = "S3RVER",
            ["Storage:S3:PartSizeBytes"] = PartSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Fetch:AllowPrivateNetworks"] = "true",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return settings;
    }

    public static ServiceProvider Services(params (string Key, string? Value)[] extra)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(extra)).Build();
        return new ServiceCollection().AddFetch(configuration).AddStorage(configuration).BuildServiceProvider();
    }

    /// <summary>Deterministic bytes, so a failure shows the same content on every run.</summary>
    public static byte[] Bytes(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. The S3 tests need a running S3 server: run ./test, or `source scripts/provision.sh; start_s3rver`.");
}
