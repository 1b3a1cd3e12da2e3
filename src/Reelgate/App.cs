using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Reelgate.Accounts;
using Reelgate.ApiKeys;
using Reelgate.Billing;
using Reelgate.Common;
using Reelgate.Credits;
using Reelgate.Data;
using Reelgate.Fetch;
using Reelgate.Generation;
using Reelgate.Health;
using Reelgate.Identity;
using Reelgate.Idempotency;
using Reelgate.Jobs;
using Reelgate.Limits;
using Reelgate.Projects;
using Reelgate.Providers;
using Reelgate.Rendering;
using Reelgate.Shotstack;
using Reelgate.Storage;
using Reelgate.Telemetry;
using Reelgate.Webhooks;
using Reelgate.Usage;
using Reelgate.Web;

namespace Reelgate;

public static class App
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        ConfigAliases.Apply(builder.Configuration);
        ConfigureHosting(builder);
        AddServices(builder.Services, builder.Configuration);
        var app = builder.Build();
        UsePipeline(app);
        MapEndpoints(app);
        return app;
    }

    private static void ConfigureHosting(WebApplicationBuilder builder)
    {
        builder.Logging.AddReelgateConsole(builder.Configuration, builder.Environment);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            var host = builder.Configuration["HOST"] ?? "127.0.0.1";
            var port = builder.Configuration["PORT"] ?? "8080";
            var urls = new List<string> { $"http://{host}:{port}" };
            if (PrometheusEndpoint.ListenUrl(builder.Configuration, host) is { } metricsUrl) urls.Add(metricsUrl);
            builder.WebHost.UseUrls([.. urls]);
            // Links to stored files point at this server unless an operator names a public address.
            if (string.IsNullOrEmpty(builder.Configuration["Storage:PublicBaseUrl"]))
            {
                builder.Configuration["Storage:PublicBaseUrl"] = builder.Configuration["App:PublicBaseUrl"] is { Length: > 0 } publicUrl
                    ? publicUrl
                    : $"http://{(host is "0.0.0.0" or "*" ? "127.0.0.1" : host)}:{port}";
            }
        }
        // The web app's static files are served from the build output too, not only from a publish folder.
        builder.WebHost.UseStaticWebAssets();
        var maxBody = builder.Configuration.GetValue("Limits:MaxRequestBodyBytes", 1L << 20);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody);
    }

    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
        services.AddExceptionHandler<ErrorHandler>();
        services.AddOpenApi();
        services.AddDataProtection()
            .SetApplicationName("Reelgate")
            .PersistKeysToFileSystem(new DirectoryInfo(configuration["DataProtection:KeysPath"] ?? Path.Combine(".data", "keys")));

        services.AddData();
        services.AddSingleton<AppInstance>();
        services.AddHostedService(sp => sp.GetRequiredService<AppInstance>());
        services.AddSingleton<Notifications>();
        services.AddHostedService(sp => sp.GetRequiredService<Notifications>());

        services.AddAccounts(configuration);

        services.AddApiKeys();

        services.AddSingleton<Ledger>();
        services.AddSingleton<JobCredits>();
        services.AddSingleton<LedgerVerifier>();
        services.AddSingleton<CreditAdjustments>();

        services.AddLimits(configuration);

        services.AddSingleton<IdempotencyStore>();
        services.AddHostedService<IdempotencySweeper>();

        services.AddFetch(configuration);
        services.AddShotstackCompat();
        services.AddWebhooks(configuration);
        services.AddStorage(configuration);
        services.AddRendering(configuration);
        services.AddBilling(configuration);
        services.AddProviders(configuration);
        services.AddGeneration(configuration);
        services.AddHostedService<RetentionSweeper>();

        services.AddJobs(configuration, Roles(configuration).Contains("worker"));

        // Health checks are created per run unless registered; ffmpeg's answer is remembered for the process.
        services.AddSingleton<FfmpegHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<StorageHealthCheck>("storage")
            .AddCheck<FfmpegHealthCheck>("ffmpeg");

        services.AddProjects(configuration);
        services.AddUsage(configuration);
        services.AddTelemetry(configuration);
        services.AddLogRedaction();
        services.AddWeb(configuration);

        services.AddIdentityProviders(configuration);
        AddAuthentication(services, configuration);
    }

    /// <summary>`serve --roles api,worker` (the default runs both in one process).</summary>
    public static IReadOnlySet<string> Roles(IConfiguration configuration) =>
        (configuration["roles"] ?? "api,worker").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    private static void AddAuthentication(IServiceCollection services, IConfiguration configuration)
    {
        const string smart = "ApiKeyOrCookie";
        services.AddAuthentication(smart)
            .AddPolicyScheme(smart, smart, o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.ReadKey(context.Request) is not { } bearer
                    ? CookieAuthenticationDefaults.AuthenticationScheme
                    : JwtIssuers.SchemeFor(context, bearer) ?? ApiKeyAuthenticationHandler.SchemeName)
            .AddExternalSignIn(configuration)
            .AddJwtIssuers(configuration)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = "reelgate_session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
                o.SlidingExpiration = true;
                o.LoginPath = "/signin";
                o.Events.OnValidatePrincipal = c => c.HttpContext.RequestServices.GetRequiredService<SessionValidation>().ValidateAsync(c);
                o.Events.OnRedirectToLogin = c => RateLimitMiddleware.IsApiPath(c.Request.Path) || c.Request.Path == PrometheusEndpoint.Path
                    ? ProblemWriter.WriteAsync(c.HttpContext, 401, "unauthenticated", "Authentication required.",
                        "Send a valid API key as 'Authorization: Bearer <key>' or 'x-api-key: <key>', or sign in.")
                    : Redirect(c);
                o.Events.OnRedirectToAccessDenied = c => RateLimitMiddleware.IsApiPath(c.Request.Path) || c.Request.Path == PrometheusEndpoint.Path
                    ? ProblemWriter.WriteAsync(c.HttpContext, 403, "forbidden", "Forbidden.", "This needs the admin role.")
                    : Redirect(c);
            });
        services.AddAuthorizationBuilder()
            .AddPolicy("admin", p => p.RequireAuthenticatedUser().RequireClaim(ClaimNames.Role, "admin"));
    }

    private static Task Redirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static void UsePipeline(WebApplication app)
    {
        app.UsePrometheusPort(app.Configuration);
        app.UseRequestId();
        app.UsePlainJsonProblems();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseCors();
        app.UseBodySizeLimit(app.Configuration.GetValue("Limits:MaxRequestBodyBytes", 1L << 20));
        app.UseKnownCharset();
        app.UseIdempotencyBuffering();
        app.UseAuthentication();
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseAuthorization();
        app.UseMiddleware<ScopeMiddleware>();
        app.UseUsageCounting();
        app.UseTextSafety();
        app.UseAntiforgery();
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/openapi/v1.json", "Reelgate API v1");
            o.DocumentTitle = "Reelgate API";
        });
        app.MapHealth();
        app.MapPrometheus(app.Configuration);
        app.MapStorage();
        app.MapAccounts();
        app.MapAccountsAdmin();
        app.MapApiKeys();
        app.MapApiKeysAdmin();
        app.MapIdentities();
        app.MapExternalSignIn();
        app.MapCredits();
        app.MapCreditsAdmin();
        app.MapJobs();
        app.MapShotstack();
        app.MapWebhooks();
        app.MapBilling();
        app.MapProviders();
        app.MapGeneration();
        app.MapProjects();
        app.MapUsage();
        app.MapWeb();
    }
}
