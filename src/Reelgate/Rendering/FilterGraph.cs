using static Reelgate.Rendering.FilterSyntax;

namespace Reelgate.Rendering;

/// <summary>Accumulates ffmpeg inputs and filter chains with unique labels.</summary>
internal sealed class FilterGraph
{
    private readonly List<string> _inputArguments = [];
    private readonly List<string> _chains = [];
    private readonly List<PlanFile> _files = [];
    private readonly string _filePrefix;
    private readonly Dictionary<object, int> _keyedInputs = [];
    private int _inputs;
    private int _labels;

    /// <param name="filePrefix">Side files are written next to the output, named after it.</param>
    public FilterGraph(string filePrefix) => _filePrefix = filePrefix;

    public IReadOnlyList<string> InputArguments => _inputArguments;

    public IReadOnlyList<PlanFile> Files => _files;

    public string Text => string.Join(";", _chains);

    public bool IsEmpty => _chains.Count == 0;

    public int AddInput(string path, params string[] options)
    {
        _inputArguments.AddRange(options);
        _inputArguments.Add("-i");
        _inputArguments.Add(path);
        return _inputs++;
    }

    /// <summary>
    /// One picture, read and decoded once; the clip's chain holds it for its length (tpad), which spares decoding the
    /// same picture again for every frame as a looping still does.
    /// </summary>
    public int AddPicture(string path, double fps) => AddInput(path, "-framerate", Num(fps));

    /// <summary>A looping still (or the first frame of a video) lasting the given seconds at the output rate.</summary>
    public int AddStill(string path, double seconds, double fps) =>
        AddInput(path, "-loop", "1", "-framerate", Num(fps), "-t", Num(seconds));

    /// <summary>Media starting at trim seconds, at most the given seconds long; one input per key, so a video's picture and sound share it.</summary>
    public int AddMedia(string path, double trim, double seconds, object? key = null)
    {
        if (key is not null && _keyedInputs.TryGetValue(key, out var existing))
        {
            return existing;
        }
        if (key is not null)
        {
            _keyedInputs[key] = _inputs;
        }
        var options = new List<string>();
        if (trim > 0)
        {
            options.AddRange(["-ss", Num(trim)]);
        }
        options.AddRange(["-t", Num(seconds)]);
        return AddInput(path, [.. options]);
    }

    public string Label(string prefix) => $"{prefix}{_labels++}";

    /// <summary>Adds "[in1][in2]filters[out]" and returns the output label.</summary>
    public string Chain(IEnumerable<string> inputs, IEnumerable<string> filters, string? output = null)
    {
        output ??= Label("s");
        var source = string.Concat(inputs.Select(input => $"[{input}]"));
        _chains.Add($"{source}{string.Join(",", filters)}[{output}]");
        return output;
    }

    public void Raw(string chain) => _chains.Add(chain);

    public string AddTextFile(string content)
    {
        var path = $"{_filePrefix}.text{_files.Count}.txt";
        _files.Add(new PlanFile(path, content));
        return path;
    }
}
