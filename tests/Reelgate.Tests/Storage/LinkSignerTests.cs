using System.Text;
using Reelgate.Storage;

namespace Reelgate.Tests.Storage;

public sealed class LinkSignerTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private readonly TestStorage storage = new();

    public void Dispose() => storage.Dispose();

    private static LinkSigner Signer(string secret = "secret") => new(Encoding.UTF8.GetBytes(secret));

    [Fact]
    public void Verify_OwnSignatureBeforeExpiry_IsValid()
    {
        var signature = Signer().Sign("a/b.mp4", 1_800_000_060);

        Assert.Equal(LinkCheck.Valid, Signer().Verify("a/b.mp4", "1800000060", signature, Now));
    }

    [Fact]
    public void Sign_IsBase64UrlHmacOfKeyNewlineExpires()
    {
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes("secret"), Encoding.UTF8.GetBytes("a/b.mp4\n1800000060")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(expected, Signer().Sign("a/b.mp4", 1_800_000_060));
    }

    [Theory]
    [InlineData("a/c.mp4", "1800000060")]
    [InlineData("a/b.mp4", "1800000061")]
    [InlineData("a/b.mp4", "")]
    [InlineData("a/b.mp4", "-5")]
    [InlineData("a/b.mp4", null)]
    public void Verify_SignatureForOtherKeyOrExpiry_IsInvalid(string key, string? expires)
    {
        var signature = Signer().Sign("a/b.mp4", 1_800_000_060);

        Assert.Equal(LinkCheck.Invalid, Signer().Verify(key, expires, signature, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not*base64")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Verify_MalformedOrForeignSignature_IsInvalid(string? signature) =>
        Assert.Equal(LinkCheck.Invalid, Signer().Verify("a/b.mp4", "1800000060", signature, Now));

    [Fact]
    public void Verify_SignatureFromAnotherSecret_IsInvalid()
    {
        var signature = Signer("other").Sign("a/b.mp4", 1_800_000_060);

        Assert.Equal(LinkCheck.Invalid, Signer().Verify("a/b.mp4", "1800000060", signature, Now));
    }

    [Fact]
    public void Verify_GenuineButPastExpiry_IsExpired()
    {
        var signature = Signer().Sign("a/b.mp4", 1_800_000_000);

        Assert.Equal(LinkCheck.Expired, Signer().Verify("a/b.mp4", "1800000000", signature, Now));
    }

    [Fact]
    public void Resolve_WithoutConfiguredKey_GeneratesOnePersistsItAndReusesIt()
    {
        var options = new StorageOptions { SigningKeyPath = Path.Combine(storage.Root.FullName, "keys", "signing.key") };

        var first = SigningKeyFile.Resolve(options);
        var second = SigningKeyFile.Resolve(options);

        Assert.Equal(first, second);
        Assert.True(first.Length >= 32);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(options.SigningKeyPath));
        }
    }

    [Fact]
    public void Resolve_WithConfiguredKey_UsesItAndWritesNoFile()
    {
        var options = new StorageOptions { SigningKey = "configured", SigningKeyPath = Path.Combine(storage.Root.FullName, "signing.key") };

        Assert.Equal("configured"u8.ToArray(), SigningKeyFile.Resolve(options));
        Assert.False(File.Exists(options.SigningKeyPath));
    }
}
