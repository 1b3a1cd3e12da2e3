namespace Reelgate.Rendering;

/// <summary>Collects validation messages keyed by JSON path, in the order they were found.</summary>
internal sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _byPath = new(StringComparer.Ordinal);

    public bool Any => _byPath.Count > 0;

    /// <summary>Set when the Edit goes to Shotstack: what only the local renderer lacks is then not an error.</summary>
    public bool ForForwarding { get; init; }

    /// <summary>Records a limitation of the local renderer, unless the Edit is being forwarded.</summary>
    public void Unsupported(string path, string message)
    {
        if (!ForForwarding)
        {
            Add(path, message);
        }
    }

    public void Add(string path, string message)
    {
        if (!_byPath.TryGetValue(path, out var messages))
        {
            messages = [];
            _byPath[path] = messages;
        }
        if (!messages.Contains(message))
        {
            messages.Add(message);
        }
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _byPath.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
}
