namespace Reelgate.Projects;

public static class ProjectsServiceCollectionExtensions
{
    public static IServiceCollection AddProjects(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ProjectsOptions>(configuration.GetSection(ProjectsOptions.Section));
        services.AddSingleton<ProjectStore>();
        services.AddSingleton<ProjectViews>();
        services.AddSingleton<ProjectMusic>();
        services.AddSingleton<ProjectDeletion>();
        services.AddSingleton<ProjectAssembly>();
        services.AddSingleton<ClipSubmission>();
        services.AddHostedService<ProjectSync>();
        return services;
    }
}
