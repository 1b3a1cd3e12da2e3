using System.Text.Json;
using System.Text.RegularExpressions;

namespace Reelgate.Rendering;

/// <summary>Readers for the values the Edit schema shares between objects.</summary>
internal static partial class ValueReaders
{
    public const string StartRule = "must be a number of at least 0, \"auto\" or \"alias://name\"";
    public const string LengthRule = "must be a number greater than 0, \"auto\", \"end\" or \"alias://name\"";

    public static ClipTime? Start(JsonScope scope)
    {
        if (scope.Raw("start", required: true) is not { } value)
        {
            return null;
        }
        return TimeValue(value, allowEnd: false, out var time) && (time.Kind != ClipTimeKind.Seconds || time.Seconds >= 0)
            ? time
            : Fail(scope, "start", StartRule);
    }

    public static ClipTime? Length(JsonScope scope)
    {
        if (scope.Raw("length", required: true) is not { } value)
        {
            return null;
        }
        return TimeValue(value, allowEnd: true, out var time) && (time.Kind != ClipTimeKind.Seconds || time.Seconds > 0)
            ? time
            : Fail(scope, "length", LengthRule);
    }

    public static Animated? Animated(JsonScope scope, string name, double min, double max)
    {
        if (scope.Raw(name) is not { } value)
        {
            return null;
        }
        return Animated(value, scope.PathOf(name), scope.Errors, min, max);
    }

    public static Animated? Animated(JsonElement value, string path, ValidationErrors errors, double min, double max)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var tweens = new List<Tween>();
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (Tween(item, $"{path}[{index++}]", errors, min, max) is { } tween)
                {
                    tweens.Add(tween);
                }
            }
            if (tweens.Count == 0)
            {
                errors.Add(path, "must be a number or a non-empty array of tweens");
                return null;
            }
            return new Animated(tweens[0].From, [.. tweens.OrderBy(t => t.Start)]);
        }
        return JsonScope.ReadNumber(value, path, errors, min, max) is { } number ? Rendering.Animated.Of(number) : null;
    }

    /// <summary>
    /// A hex colour, read as CSS does in any case and with the #RGB shorthand, given back as #RRGGBB or #AARRGGBB. CSS's
    /// "transparent" is read too, as Shotstack's own gallery templates write it for a box with no background.
    /// </summary>
    public static string? Color(JsonScope scope, string name, bool required = false)
    {
        var text = scope.String(name, required);
        if (string.Equals(text, "transparent", StringComparison.OrdinalIgnoreCase)) return Transparent;
        if (text is not null && !HexColor().IsMatch(text))
        {
            scope.Errors.Add(scope.PathOf(name), "must be a hex colour such as #RGB, #RRGGBB or #AARRGGBB, or transparent");
            return null;
        }
        return text is null ? null : Expanded(text);
    }

    private const string Transparent = "#00000000";

    /// <summary>#abc is #aabbcc, as in CSS.</summary>
    public static string Expanded(string hex) =>
        hex.Length == 4 ? string.Concat("#", hex[1], hex[1], hex[2], hex[2], hex[3], hex[3]) : hex;

    public static string? Url(JsonScope scope, string name, bool required = false)
    {
        var text = scope.String(name, required);
        if (text is not null && !IsHttpUrl(text))
        {
            scope.Errors.Add(scope.PathOf(name), "must be an http or https URL");
            return null;
        }
        return text;
    }

    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public static bool IsHexColor(string text) => HexColor().IsMatch(text);

    public static bool IsAliasName(string text) => AliasName().IsMatch(text);

    private static Tween? Tween(JsonElement item, string path, ValidationErrors errors, double min, double max)
    {
        if (JsonScope.Open(item, path, errors) is not { } scope)
        {
            return null;
        }
        var from = scope.Number("from", min, max, required: true);
        var to = scope.Number("to", min, max, required: true);
        var start = scope.Number("start", min: 0) ?? 0;
        var length = scope.Number("length", min: 0, aboveMin: true);
        var interpolation = scope.Enum("interpolation", EditVocabulary.Interpolations) ?? "linear";
        var easing = scope.Enum("easing", EditVocabulary.Easings);
        scope.RejectUnknown();
        return from is null || to is null ? null : new Tween(from.Value, to.Value, start, length, interpolation, easing);
    }

    private static bool TimeValue(JsonElement value, bool allowEnd, out ClipTime time)
    {
        time = ClipTime.At(0);
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDouble(out var seconds) && double.IsFinite(seconds):
                time = ClipTime.At(seconds);
                return true;
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (text == "auto" || (allowEnd && text == "end"))
                {
                    time = new ClipTime(text == "auto" ? ClipTimeKind.Auto : ClipTimeKind.End);
                    return true;
                }
                if (text.StartsWith("alias://", StringComparison.Ordinal) && IsAliasName(text["alias://".Length..]))
                {
                    time = new ClipTime(ClipTimeKind.Alias, Alias: text["alias://".Length..]);
                    return true;
                }
                return false;
            default:
                return false;
        }
    }

    private static ClipTime? Fail(JsonScope scope, string name, string rule)
    {
        scope.Errors.Add(scope.PathOf(name), rule);
        return null;
    }

    [GeneratedRegex("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")]
    private static partial Regex HexColor();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex AliasName();
}
