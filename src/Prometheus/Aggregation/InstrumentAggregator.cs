using System.Diagnostics.Metrics;
using KubeCache.Prometheus.Exposition;

namespace KubeCache.Prometheus.Aggregation;

/// <summary>
/// Aggregates one instrument's measurements. The exporter hands the aggregator to
/// <see cref="MeterListener.EnableMeasurementEvents"/> as state, so the measurement callback
/// reaches it without a lookup.
/// </summary>
internal abstract class InstrumentAggregator(Instrument instrument, MetricType type)
{
    public Instrument Instrument { get; } = instrument;

    public MetricType Type { get; } = type;

    public string FamilyName { get; } = MetricNamer.FamilyName(instrument.Name, instrument.Unit, type);

    /// <summary>Upper bucket bounds for histograms; null for other types.</summary>
    public virtual double[]? Bounds => null;

    /// <summary>Integer measurements (byte, short, int, long).</summary>
    public abstract void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Floating measurements (float, double, decimal).</summary>
    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>The current series; called at scrape time, after observable instruments were recorded.</summary>
    public abstract IEnumerable<MetricPoint> Collect();
}
