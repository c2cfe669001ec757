using System.Diagnostics.Metrics;
using KubeCache.Prometheus.Exposition;

namespace KubeCache.Prometheus.Aggregation;

/// <summary>
/// Synchronous counters and up-down counters (sum per tag set) and synchronous gauges
/// (last value per tag set). Series live for the instrument's lifetime, as Prometheus expects
/// of counters.
/// </summary>
internal sealed class ScalarAggregator(Instrument instrument, MetricType type, bool keepsLastValue)
    : InstrumentAggregator(instrument, type)
{
    private readonly SeriesTable<ScalarSeries> _series = new(static () => new ScalarSeries());

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = _series.GetOrAdd(tags);
        if (keepsLastValue)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = _series.GetOrAdd(tags);
        if (keepsLastValue)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    public override IEnumerable<MetricPoint> Collect()
    {
        foreach (var (tags, series) in _series.Snapshot())
        {
            yield return MetricPoint.Scalar(LabelRenderer.Render(tags), series.Read());
        }
    }
}
