namespace Reelgate.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the job store, both queues and, on a worker, the presence beat and the two pools: local jobs on one
    /// slot per core, remote jobs in short steps. The presence is registered first so it stops last and hands back
    /// whatever the pools still hold.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration, bool worker)
    {
        services.Configure<JobsOptions>(configuration.GetSection(JobsOptions.Section));
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<RemoteQueue>();
        services.AddSingleton<JobFinisher>();
        services.AddSingleton<WorkFolders>();
        services.AddSingleton<WorkerRegistry>();
        services.AddSingleton<WorkerIdentity>();
        services.AddSingleton<JobViews>();
        services.AddSingleton<JobAdmission>();
        services.AddSingleton<JobStatusSignals>();
        services.AddSingleton<RenderSubmission>();
        services.AddScoped<RenderJobRunner>();
        if (worker)
        {
            services.AddHostedService<WorkerPresence>();
            services.AddHostedService<JobWorker>();
            services.AddHostedService<RemotePoller>();
        }
        return services;
    }
}
