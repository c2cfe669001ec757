using KubeCache.Prometheus.Exposition;

namespace KubeCache.Prometheus.Aggregation;

/// <summary>Bucket counts and sum of one histogram series, updated with interlocked operations.</summary>
internal sealed class HistogramSeries(double[] bounds)
{
    // One count per bound plus the +Inf bucket; counts are per bucket and made cumulative on output.
    private readonly long[] _counts = new long[bounds.Length + 1];
    private double _sum;

    public void Record(double value)
    {
        Interlocked.Increment(ref _counts[BucketIndex(value)]);
        AtomicDouble.Add(ref _sum, value);
    }

    public HistogramData Snapshot()
    {
        var counts = new long[_counts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _counts[i]);
        }

        return new HistogramData(bounds, counts, Volatile.Read(ref _sum));
    }

    /// <summary>The first bucket whose upper bound is at least <paramref name="value"/> (bounds are inclusive).</summary>
    private int BucketIndex(double value)
    {
        if (double.IsNaN(value))
        {
            return bounds.Length;
        }

        int low = 0;
        int high = bounds.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (value <= bounds[middle])
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }
}
