namespace Reelgate.Projects;

public sealed class ProjectsOptions
{
    public const string Section = "Projects";

    /// <summary>
    /// Keeps the clips and final videos of a project as long as the project exists; when false they are deleted once the
    /// storage retention has passed, like any job output.
    /// </summary>
    public bool KeepFilesWithProject { get; set; } = true;

    public int MaxTitleLength { get; set; } = 200;

    public int MaxClipsPerProject { get; set; } = 100;

    /// <summary>How often finished clip and assembly jobs are looked for when no notification arrived.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(2);
}
