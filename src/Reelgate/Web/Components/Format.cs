using System.Globalization;

namespace Reelgate.Web.Components;

/// <summary>How the pages write numbers and times: invariant, UTC, credits with two decimals.</summary>
public static class Format
{
    public static string Credits(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Money(decimal value, string currency) =>
        $"{value.ToString("0.00", CultureInfo.InvariantCulture)} {currency.ToUpperInvariant()}";

    public static string Seconds(double? value) =>
        value is { } s ? $"{s.ToString("0.#", CultureInfo.InvariantCulture)} s" : "–";

    public static string Percent(double fraction) =>
        $"{Math.Round(fraction * 100).ToString("0", CultureInfo.InvariantCulture)}%";

    public static string When(DateTime? value) =>
        value is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "–";

    public static string Iso(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Day(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string ShortId(Guid id) => id.ToString("N")[^8..];
}
