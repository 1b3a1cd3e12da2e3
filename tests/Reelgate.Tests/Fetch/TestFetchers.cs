using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Fetch;

namespace Reelgate.Tests.Fetch;

internal static class TestFetchers
{
    public static ServiceProvider Services(IDictionary<string, string?>? settings = null, IAddressPolicy? policy = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        if (policy is not null)
        {
            services.AddSingleton(policy);
        }
        services.AddFetch(configuration);
        return services.BuildServiceProvider();
    }

    public static AssetFetcher Create(ServiceProvider services) => services.GetRequiredService<AssetFetcher>();
}

internal sealed class SingleAddressPolicy(IPAddress allowed) : IAddressPolicy
{
    public bool IsAllowed(IPAddress address) => address.Equals(allowed);
}
