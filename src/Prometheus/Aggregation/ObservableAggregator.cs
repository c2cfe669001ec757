using System.Diagnostics.Metrics;
using KubeCache.Prometheus.Exposition;

namespace KubeCache.Prometheus.Aggregation;

/// <summary>
/// Observable counters, gauges and up-down counters: the last value observed per tag set during
/// the current scrape. Each scrape starts empty, so a series the callback stops reporting disappears.
/// Observations only arrive from <see cref="MeterListener.RecordObservableInstruments"/> at scrape
/// time, so a lock here costs the hot path nothing.
/// </summary>
internal sealed class ObservableAggregator(Instrument instrument, MetricType type)
    : InstrumentAggregator(instrument, type)
{
    private readonly Lock _lock = new();
    private Dictionary<string, MetricValue> _observed = new(StringComparer.Ordinal);

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        Observe(new MetricValue(value, 0), tags);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        Observe(new MetricValue(0, value), tags);

    public override IEnumerable<MetricPoint> Collect()
    {
        Dictionary<string, MetricValue> observed;
        lock (_lock)
        {
            observed = _observed;
            _observed = new(StringComparer.Ordinal);
        }

        return [.. observed.Select(static pair => MetricPoint.Scalar(pair.Key, pair.Value))];
    }

    private void Observe(MetricValue value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string labels = LabelRenderer.Render(tags.ToArray());
        lock (_lock)
        {
            _observed[labels] = value;
        }
    }
}
