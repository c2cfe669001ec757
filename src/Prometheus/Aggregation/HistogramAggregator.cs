using System.Diagnostics.Metrics;
using KubeCache.Prometheus.Exposition;

namespace KubeCache.Prometheus.Aggregation;

/// <summary>Explicit-bucket histograms: per tag set, bucket counts, sum and count.</summary>
internal sealed class HistogramAggregator : InstrumentAggregator
{
    private readonly double[] _bounds;
    private readonly SeriesTable<HistogramSeries> _series;

    public HistogramAggregator(Instrument instrument, double[] bounds)
        : base(instrument, MetricType.Histogram)
    {
        _bounds = bounds;
        _series = new SeriesTable<HistogramSeries>(() => new HistogramSeries(bounds));
    }

    public override double[] Bounds => _bounds;

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _series.GetOrAdd(tags).Record(value);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _series.GetOrAdd(tags).Record(value);

    public override IEnumerable<MetricPoint> Collect()
    {
        foreach (var (tags, series) in _series.Snapshot())
        {
            yield return MetricPoint.ForHistogram(LabelRenderer.Render(tags, isHistogram: true), series.Snapshot());
        }
    }
}
