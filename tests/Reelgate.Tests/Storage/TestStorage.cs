using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Storage;

namespace Reelgate.Tests.Storage;

/// <summary>A throwaway storage root with its own signing key file.</summary>
internal sealed class TestStorage : IDisposable
{
    public DirectoryInfo Root { get; } = Directory.CreateTempSubdirectory("reelgate-storage-");

    public string LocalPath => Path.Combine(Root.FullName, "objects");

    public IConfiguration Configuration(string signingKey = "test-signing-key", string publicBaseUrl = "http://files.test") =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:LocalPath"] = LocalPath,
            ["Storage:SigningKey"] = signingKey,
            ["Storage:SigningKeyPath"] = Path.Combine(Root.FullName, "signing.key"),
            ["Storage:PublicBaseUrl"] = publicBaseUrl,
        }).Build();

    public ServiceProvider Services(string signingKey = "test-signing-key") =>
        new ServiceCollection().AddStorage(Configuration(signingKey)).BuildServiceProvider();

    public void Dispose() => Root.Delete(recursive: true);
}
