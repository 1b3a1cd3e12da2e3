using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Reelgate.Jobs;

/// <summary>
/// Every attempt of a job works in its own folder, named by job and attempt. A worker killed mid-job leaves its
/// folder behind; at start a worker removes each folder of its database's jobs whose attempt no longer holds a live
/// lease, so a second process on the same machine keeps the folders it is using.
/// </summary>
public sealed partial class WorkFolders(NpgsqlDataSource db, IOptions<JobsOptions> options, ILogger<WorkFolders> logger)
{
    public string For(JobRecord job) => Path.Combine(options.Value.WorkDirectory, $"{job.Id:N}-{job.Attempts}");

    public async Task<int> RemoveAbandonedAsync(CancellationToken ct)
    {
        var root = options.Value.WorkDirectory;
        if (!Directory.Exists(root)) return 0;
        var folders = Directory.EnumerateDirectories(root)
            .Select(path => (Path: path, Match: FolderName().Match(Path.GetFileName(path))))
            .Where(folder => folder.Match.Success)
            .Select(folder => (folder.Path, Id: Guid.ParseExact(folder.Match.Groups[1].Value, "N"), Attempt: int.Parse(folder.Match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        if (folders.Count == 0) return 0;
        await using var connection = await db.OpenConnectionAsync(ct);
        var known = (await connection.QueryAsync<(Guid Id, int Attempts, bool Live)>(new CommandDefinition($"""
            SELECT id, attempts, status IN {JobStatus.ActiveList} AND {WorkerRegistry.LeaseHolds} FROM jobs WHERE id = ANY(@ids)
            """, new { ids = folders.Select(f => f.Id).Distinct().ToArray(), active = JobStatus.Active, workerTimeout = options.Value.WorkerTimeout },
            cancellationToken: ct))).ToDictionary(job => job.Id);
        var removed = 0;
        // A folder of a job this database does not know may belong to another deployment sharing the machine.
        foreach (var folder in folders.Where(f => known.TryGetValue(f.Id, out var job) && !(job.Live && job.Attempts == f.Attempt)))
        {
            try
            {
                Directory.Delete(folder.Path, recursive: true);
                removed++;
            }
            catch (IOException ex)
            {
                logger.LogWarning(ex, "Could not remove the abandoned work folder {WorkDir}", folder.Path);
            }
        }
        if (removed > 0) logger.LogInformation("Removed {Count} work folders of attempts that ended without cleaning up", removed);
        return removed;
    }

    [GeneratedRegex("^([0-9a-f]{32})-([0-9]+)$")]
    private static partial Regex FolderName();
}
