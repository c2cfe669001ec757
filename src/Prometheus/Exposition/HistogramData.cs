namespace KubeCache.Prometheus.Exposition;

/// <summary>
/// A histogram sample at scrape time. <see cref="Counts"/> are per bucket (not cumulative), with
/// one more entry than <see cref="Bounds"/> for the <c>+Inf</c> bucket.
/// </summary>
internal sealed class HistogramData(double[] bounds, long[] counts, double sum)
{
    public double[] Bounds { get; } = bounds;

    public long[] Counts { get; } = counts;

    public double Sum { get; } = sum;

    public HistogramData Add(HistogramData other)
    {
        var counts = new long[Counts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = Counts[i] + other.Counts[i];
        }

        return new HistogramData(Bounds, counts, Sum + other.Sum);
    }
}
