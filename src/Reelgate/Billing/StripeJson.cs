using System.Globalization;
using System.Text.Json;

namespace Reelgate.Billing;

/// <summary>Lenient reads of Stripe objects, whose optional fields may be missing, null or expanded.</summary>
public static class StripeJson
{
    /// <summary>The string at a dotted path (<c>parent.subscription_details.subscription</c>); an expanded object gives its id.</summary>
    public static string? Text(this JsonElement element, string path)
    {
        var value = element.At(path);
        return value?.ValueKind switch
        {
            JsonValueKind.String => value.Value.GetString(),
            JsonValueKind.Object when value.Value.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String => id.GetString(),
            _ => null,
        };
    }

    public static long? Number(this JsonElement element, string path) =>
        element.At(path) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : null;

    public static DateTimeOffset? Time(this JsonElement element, string path) =>
        element.Number(path) is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    public static JsonElement? At(this JsonElement element, string path)
    {
        var current = element;
        foreach (var name in path.Split('.'))
        {
            if (current.ValueKind == JsonValueKind.Array && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                if (index >= current.GetArrayLength()) return null;
                current = current[index];
            }
            else if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }
        return current.ValueKind == JsonValueKind.Null ? null : current;
    }
}
