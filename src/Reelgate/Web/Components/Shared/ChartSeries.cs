namespace Reelgate.Web.Components.Shared;

public sealed record ChartSeries(string Label, IReadOnlyList<decimal> Values, string Color);
