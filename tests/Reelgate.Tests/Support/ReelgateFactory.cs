using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Reelgate.Tests.Support;

/// <summary>The real app on a test server, against the given database, with optional settings.</summary>
public sealed class ReelgateFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "reelgate-tests", Guid.NewGuid().ToString("N"));
    private readonly TestLogBook? _logBook = TestLogBook.Current;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("DATABASE_URL", connectionString);
        builder.UseSetting("DataProtection:KeysPath", Path.Combine(_dataDir, "keys"));
        builder.UseSetting("Storage:LocalPath", Path.Combine(_dataDir, "storage"));
        // Each app gets its own work folders: a starting worker removes those its database knows no live lease for.
        builder.UseSetting("Jobs:WorkDirectory", Path.Combine(_dataDir, "work"));
        builder.UseSetting("Fetch:AllowPrivateNetworks", "true");
        // The app logs at its own levels (appsettings.json): warnings and errors are printed as they come, and every line is kept
        // for a failing test's output. TEST_LOG_LEVEL=Debug (say) keeps more; a test about logging sets its own levels.
        if (Environment.GetEnvironmentVariable("TEST_LOG_LEVEL") is { Length: > 0 } level) builder.UseSetting("Logging:LogLevel:Default", level);
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(new TestLogProvider(_logBook)));
        // Every test client shares one address; the tests of the per-address limits set their own (or null for the defaults).
        foreach (var key in new[] { "RateLimit:Registration:Requests", "RateLimit:Login:Requests" })
        {
            if (settings?.ContainsKey(key) != true) builder.UseSetting(key, "100000");
        }
        // Balances in tests start at zero unless a test is about the signup credit.
        if (settings?.ContainsKey("Accounts:SignupCredits") != true) builder.UseSetting("Accounts:SignupCredits", "0");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, TestRemoteAddress>());
        // A null value leaves the setting unset, to the app's default.
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is not null) builder.UseSetting(key, value);
        }
    }

    public HttpClient CreateApiClient(string? apiKey = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        return client;
    }
}
