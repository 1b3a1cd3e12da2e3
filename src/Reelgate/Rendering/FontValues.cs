using System.Globalization;
using System.Text.Json;

namespace Reelgate.Rendering;

/// <summary>
/// Font sizes and weights as Shotstack takes them: a number or a numeric string ("28"), a weight also as
/// "normal" or "bold", and a weight outside 100–900 held to that range, as CSS does.
/// </summary>
internal static class FontValues
{
    public static int? Size(JsonScope scope, int max) => Read(scope, "size", 1, max, clamp: false);

    public static int? Weight(JsonScope scope) => Read(scope, "weight", 100, 900, clamp: true);

    private static int? Read(JsonScope scope, string name, int min, int max, bool clamp)
    {
        if (scope.Raw(name) is not { } value) return null;
        double? number = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var n) => n,
            JsonValueKind.String => value.GetString() switch
            {
                "normal" when name == "weight" => 400,
                "bold" when name == "weight" => 700,
                var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
                _ => null,
            },
            _ => null,
        };
        if (number is not { } found || !double.IsFinite(found) || (!clamp && (found < min || found > max)))
        {
            scope.Errors.Add(scope.PathOf(name), name == "weight"
                ? $"must be a number from {min} to {max}, \"normal\" or \"bold\""
                : $"must be a number from {min} to {max}");
            return null;
        }
        return (int)Math.Round(Math.Clamp(found, min, max));
    }
}
