using System.Diagnostics.Metrics;
using KubeCache.Prometheus.Exposition;

namespace KubeCache.Prometheus.Aggregation;

/// <summary>Maps each kind of <see cref="Instrument"/> to its Prometheus type and aggregation.</summary>
internal static class AggregatorFactory
{
    /// <summary>The aggregator for <paramref name="instrument"/>, or null for kinds this exporter does not know.</summary>
    public static InstrumentAggregator? Create(Instrument instrument, PrometheusExporterOptions options)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var kind = type.GetGenericTypeDefinition();
        if (kind == typeof(Counter<>))
        {
            return new ScalarAggregator(instrument, MetricType.Counter, keepsLastValue: false);
        }

        if (kind == typeof(UpDownCounter<>))
        {
            return new ScalarAggregator(instrument, MetricType.Gauge, keepsLastValue: false);
        }

        if (kind == typeof(Gauge<>))
        {
            return new ScalarAggregator(instrument, MetricType.Gauge, keepsLastValue: true);
        }

        if (kind == typeof(Histogram<>))
        {
            return new HistogramAggregator(instrument, BucketBoundaries.Resolve(instrument, options));
        }

        if (kind == typeof(ObservableCounter<>))
        {
            // Observable counters report the running total, so the last observation is the value.
            return new ObservableAggregator(instrument, MetricType.Counter);
        }

        if (kind == typeof(ObservableGauge<>) || kind == typeof(ObservableUpDownCounter<>))
        {
            return new ObservableAggregator(instrument, MetricType.Gauge);
        }

        return null;
    }
}
