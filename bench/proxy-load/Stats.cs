namespace Reelgate.Bench.ProxyLoad;

/// <summary>Nearest-rank percentiles of a set of milliseconds.</summary>
internal sealed class Stats
{
    private readonly double[] _sorted;

    public Stats(IEnumerable<double> values)
    {
        _sorted = values.Order().ToArray();
        if (_sorted.Length == 0) throw new ArgumentException("no values", nameof(values));
    }

    public double P50 => Percentile(50);
    public double P99 => Percentile(99);
    public double Max => _sorted[^1];

    public double Percentile(double p) => _sorted[Math.Clamp((int)Math.Ceiling(p / 100 * _sorted.Length) - 1, 0, _sorted.Length - 1)];
}
