using System.Globalization;
using System.Text.Json;

namespace Reelgate.Rendering;

/// <summary>Reads one JSON object strictly: every property read is checked, every property not read is an error.</summary>
internal sealed class JsonScope
{
    private readonly JsonElement _element;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private JsonScope(JsonElement element, string path, ValidationErrors errors)
    {
        _element = element;
        Path = path;
        Errors = errors;
    }

    public string Path { get; }

    public ValidationErrors Errors { get; }

    public static JsonScope? Open(JsonElement element, string path, ValidationErrors errors)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return new JsonScope(element, path, errors);
        }
        errors.Add(path, "must be an object");
        return null;
    }

    public static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public string PathOf(string name) => Child(Path, name);

    public bool Has(string name) => _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public JsonElement? Raw(string name, bool required = false)
    {
        _read.Add(name);
        if (_element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }
        if (required)
        {
            Errors.Add(PathOf(name), "is required");
        }
        return null;
    }

    public string? String(string name, bool required = false, bool nonEmpty = false)
    {
        if (Raw(name, required) is not { } value)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Errors.Add(PathOf(name), "must be a string");
            return null;
        }
        var text = value.GetString()!;
        if (nonEmpty && text.Length == 0)
        {
            Errors.Add(PathOf(name), "must not be empty");
            return null;
        }
        return text;
    }

    public string? Enum(string name, IReadOnlyCollection<string> allowed, bool required = false)
    {
        var text = String(name, required);
        if (text is not null && !allowed.Contains(text))
        {
            Errors.Add(PathOf(name), $"must be one of: {string.Join(", ", allowed)}");
            return null;
        }
        return text;
    }

    public double? Number(string name, double? min = null, double? max = null, bool required = false, bool aboveMin = false)
    {
        if (Raw(name, required) is not { } value)
        {
            return null;
        }
        return ReadNumber(value, PathOf(name), Errors, min, max, aboveMin);
    }

    public int? Integer(string name, int? min = null, int? max = null, bool required = false)
    {
        var number = Number(name, min, max, required);
        if (number is null)
        {
            return null;
        }
        if (number != Math.Floor(number.Value))
        {
            Errors.Add(PathOf(name), "must be a whole number");
            return null;
        }
        return (int)number.Value;
    }

    public bool? Bool(string name)
    {
        if (Raw(name) is not { } value)
        {
            return null;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }
        Errors.Add(PathOf(name), "must be a boolean");
        return null;
    }

    public T? Object<T>(string name, Func<JsonScope, T?> read, bool required = false)
        where T : class
    {
        if (Raw(name, required) is not { } value || Open(value, PathOf(name), Errors) is not { } scope)
        {
            return null;
        }
        var result = read(scope);
        scope.RejectUnknown();
        return result;
    }

    public IReadOnlyList<T>? Array<T>(string name, Func<JsonElement, string, T?> read, bool required = false, int minItems = 0)
        where T : class
    {
        if (Raw(name, required) is not { } value)
        {
            return null;
        }
        var path = PathOf(name);
        if (value.ValueKind != JsonValueKind.Array)
        {
            Errors.Add(path, "must be an array");
            return null;
        }
        if (value.GetArrayLength() < minItems)
        {
            Errors.Add(path, minItems == 1 ? "must contain at least one item" : $"must contain at least {minItems} items");
        }
        var items = new List<T>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (read(item, $"{path}[{index}]") is { } parsed)
            {
                items.Add(parsed);
            }
            index++;
        }
        return items;
    }

    public void RejectUnknown()
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!_read.Contains(property.Name))
            {
                Errors.Add(PathOf(property.Name), "is not an allowed property");
            }
        }
    }

    public static double? ReadNumber(JsonElement value, string path, ValidationErrors errors, double? min, double? max, bool aboveMin = false)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            errors.Add(path, RangeMessage("must be a number", min, max, aboveMin));
            return null;
        }
        if ((min is { } low && (aboveMin ? number <= low : number < low)) || (max is { } high && number > high))
        {
            errors.Add(path, RangeMessage("must be a number", min, max, aboveMin));
            return null;
        }
        return number;
    }

    private static string RangeMessage(string head, double? min, double? max, bool aboveMin) => (min, max) switch
    {
        ({ } low, { } high) when !aboveMin => $"{head} from {Format(low)} to {Format(high)}",
        ({ } low, { } high) => $"{head} greater than {Format(low)} and at most {Format(high)}",
        ({ } low, null) when aboveMin => $"{head} greater than {Format(low)}",
        ({ } low, null) => $"{head} of at least {Format(low)}",
        (null, { } high) => $"{head} of at most {Format(high)}",
        _ => head,
    };

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
