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

    public Dictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
