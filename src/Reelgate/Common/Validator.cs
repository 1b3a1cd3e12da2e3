namespace Reelgate.Common;

/// <summary>Collects field errors keyed by JSON path.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validator Add(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var list)) _errors[path] = list = [];
        list.Add(message);
        return this;
    }

    public Validator Require(string path, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(path, "is required.");
        return this;
    }

    public Validator MaxLength(string path, string? value, int max)
    {
        if (value is not null && value.Length > max) Add(path, $"must be at most {max} characters.");
        return this;
    }

    /// <summary>Checks `limit` and an id cursor (ids are time-ordered, so a page continues below the last id).</summary>
    public (int Size, Guid? Before) Page(int? limit, string? cursor, int defaultSize, int maxSize)
    {
        if (limit < 1 || limit > maxSize) Add("limit", $"must be between 1 and {maxSize}.");
        Guid? before = null;
        if (cursor is not null)
        {
            if (Guid.TryParse(cursor, out var id)) before = id;
            else Add("cursor", "is not a cursor returned by this endpoint.");
        }
        return (limit ?? defaultSize, before);
    }

    public Dictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
