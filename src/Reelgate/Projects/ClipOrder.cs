using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Common;

namespace Reelgate.Projects;

/// <summary>
/// A new clip order must list every clip of the project exactly once. An id that is no clip of the caller (another user's, or
/// none at all) answers 404 like any other route; the caller's own clips in the wrong project, duplicates and omissions answer 422.
/// </summary>
public static class ClipOrder
{
    public static async Task<ProblemHttpResult?> CheckAsync(ProjectStore projects, Guid userId, Guid projectId, IReadOnlyList<Guid> order, CancellationToken ct)
    {
        var clips = (await projects.ClipsAsync(userId, projectId, ct)).Select(c => c.Id).ToHashSet();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var seen = new HashSet<Guid>();
        for (var i = 0; i < order.Count; i++)
        {
            if (clips.Contains(order[i]))
            {
                if (!seen.Add(order[i])) errors[$"clipOrder[{i}]"] = [$"lists clip {order[i]} a second time; list each clip once."];
                continue;
            }
            if (await projects.GetClipAsync(userId, order[i], ct) is null)
            {
                return Problems.Create(StatusCodes.Status404NotFound, "not-found", "Not found.", $"clipOrder[{i}]: no clip with id {order[i]}.",
                    new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [$"clipOrder[{i}]"] = ["names no clip of yours."] } });
            }
            errors[$"clipOrder[{i}]"] = [$"clip {order[i]} belongs to another project."];
        }
        var missing = clips.Where(id => !seen.Contains(id)).ToList();
        if (missing.Count > 0) errors["clipOrder"] = [$"must list every clip of the project; missing {string.Join(", ", missing)}."];
        return errors.Count == 0 ? null
            : Problems.Create(StatusCodes.Status422UnprocessableEntity, "invalid-clip-order", "The clip order is invalid.",
                string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")), new Dictionary<string, object?> { ["errors"] = errors });
    }
}
