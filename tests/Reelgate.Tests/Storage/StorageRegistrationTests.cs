using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reelgate.Common;
using Reelgate.Storage;

namespace Reelgate.Tests.Storage;

public sealed class StorageRegistrationTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)))
            .Build();

    [Fact]
    public void AddStorage_WithoutProvider_RegistersTheLocalStore()
    {
        using var services = new ServiceCollection().AddStorage(Configuration(("Storage:SigningKey", "k"))).BuildServiceProvider();

        Assert.IsType<LocalObjectStore>(services.GetRequiredService<IObjectStore>());
    }

    [Fact]
    public void AddStorage_FlatEnvironmentNames_FillProviderAndPrefix()
    {
        using var services = new ServiceCollection()
            .AddStorage(Configuration(("STORAGE_PROVIDER", "local"), ("STORAGE_PATH_PREFIX", "renders")))
            .BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;

        Assert.Equal("renders", options.PathPrefix);
        Assert.Equal("local", options.Provider);
    }

    [Fact]
    public void AddStorage_SectionValue_WinsOverFlatEnvironmentName()
    {
        using var services = new ServiceCollection()
            .AddStorage(Configuration(("STORAGE_PATH_PREFIX", "renders"), ("Storage:PathPrefix", "clips")))
            .BuildServiceProvider();

        Assert.Equal("clips", services.GetRequiredService<IOptions<StorageOptions>>().Value.PathPrefix);
    }

    [Fact]
    public void AddStorage_UnknownProvider_FailsAtStartupNamingIt()
    {
        var failure = Assert.Throws<ConfigurationException>(() =>
            new ServiceCollection().AddStorage(Configuration(("STORAGE_PROVIDER", "ftp"))));

        Assert.Contains("'ftp'", failure.Message);
    }
}
