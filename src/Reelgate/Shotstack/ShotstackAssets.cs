using System.Text.Json.Serialization;
using Dapper;
using Npgsql;
using Reelgate.Jobs;
using Reelgate.Storage;

namespace Reelgate.Shotstack;

/// <summary>AssetResponseAttributes; `url` only while the file is stored, `region` and `providerId` left out as we have neither.</summary>
public sealed record ShotstackAssetAttributes(
    Guid Id, string Owner, Guid RenderId, string Filename,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url,
    string Status, DateTime Created, DateTime Updated);

public sealed record ShotstackAsset(string Type, ShotstackAssetAttributes Attributes);

/// <summary>The Serve API's json:api-style body.</summary>
public sealed record ShotstackServeData<T>(T Data);

/// <summary>
/// The caller's stored render outputs as Serve API assets, each named by its own stable asset id. An output deleted here
/// or by retention stays readable with status "deleted".
/// </summary>
public sealed class ShotstackAssets(NpgsqlDataSource db, IObjectStore store)
{
    private sealed record AssetRow(Guid AssetId, Guid JobId, Guid UserId, string Kind, string StorageKey, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? DeletedAt);

    private const string Select = """
        SELECT o.asset_id, o.job_id, j.user_id, o.kind, o.storage_key, o.created_at, o.expires_at, o.deleted_at
        FROM job_outputs o JOIN jobs j ON j.id = o.job_id
        """;

    private const string Owned = "j.user_id = @userId AND j.kind = 'render'";

    public async Task<ShotstackAsset?> GetAsync(Guid userId, Guid assetId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<AssetRow>(new CommandDefinition(
            $"{Select} WHERE o.asset_id = @assetId AND {Owned}", new { userId, assetId }, cancellationToken: ct));
        return row is null ? null : await ViewAsync(row, ct);
    }

    /// <summary>The render's assets, main output first; null when the caller has no such render.</summary>
    public async Task<IReadOnlyList<ShotstackAsset>?> ForRenderAsync(Guid userId, Guid renderId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM jobs j WHERE j.id = @renderId AND {Owned})", new { userId, renderId }, cancellationToken: ct));
        if (!exists) return null;
        var rows = await connection.QueryAsync<AssetRow>(new CommandDefinition($"""
            {Select} WHERE o.job_id = @renderId AND {Owned}
            ORDER BY array_position(ARRAY['video', 'image', 'audio', 'poster', 'thumbnail'], o.kind)
            """, new { userId, renderId }, cancellationToken: ct));
        var assets = new List<ShotstackAsset>();
        foreach (var row in rows) assets.Add(await ViewAsync(row, ct));
        return assets;
    }

    /// <summary>Deletes the stored file and marks the asset deleted; false when the caller has no such asset.</summary>
    public async Task<bool> DeleteAsync(Guid userId, Guid assetId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<AssetRow>(new CommandDefinition(
            $"{Select} WHERE o.asset_id = @assetId AND {Owned} FOR UPDATE OF o", new { userId, assetId }, tx, cancellationToken: ct));
        if (row is null) return false;
        if (row.DeletedAt is null)
        {
            // As the retention sweeper does: the file goes first, so a failed commit leaves a row that is retried, not a file nobody lists.
            await store.DeleteAsync(row.StorageKey, ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE job_outputs SET deleted_at = now() WHERE asset_id = @assetId", new { assetId }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO job_events (job_id, status, message) VALUES (@jobId, 'done', @message)",
                new { jobId = row.JobId, message = $"Stored {row.Kind} deleted through the Serve API" }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return true;
    }

    private async Task<ShotstackAsset> ViewAsync(AssetRow row, CancellationToken ct)
    {
        var retentionEnd = row.ExpiresAt is { } end ? new DateTimeOffset(DateTime.SpecifyKind(end, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        var gone = row.DeletedAt is not null || retentionEnd <= DateTimeOffset.UtcNow.AddSeconds(1);
        var url = gone ? null : (await store.GetDownloadLinkAsync(row.StorageKey, JobViews.LinkLifetime, retentionEnd, ct)).Url.ToString();
        var updated = row.DeletedAt ?? (gone ? row.ExpiresAt!.Value : row.CreatedAt);
        return new ShotstackAsset("asset", new ShotstackAssetAttributes(row.AssetId, row.UserId.ToString(), row.JobId,
            Path.GetFileName(row.StorageKey), url, gone ? "deleted" : "ready", row.CreatedAt, updated));
    }
}
