using System.Diagnostics.Metrics;
using KubeCache.Prometheus.Aggregation;

namespace KubeCache.Prometheus;

/// <summary>The <see cref="MeterListener"/> wiring: which instruments to enable and where measurements go.</summary>
public sealed partial class PrometheusExporter
{
    private readonly Lock _registryLock = new();
    private readonly List<InstrumentAggregator> _aggregators = [];

    private MeterListener CreateListener()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = OnMeasurementsCompleted,
        };

        // The aggregator arrives as state, so the hot path needs neither a lookup nor a lock.
        listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => Aggregator(state).Record(value, tags));
        listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => Aggregator(state).Record(value, tags));
        listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => Aggregator(state).Record(value, tags));
        listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => Aggregator(state).Record(value, tags));
        listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => Aggregator(state).Record(value, tags));
        listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => Aggregator(state).Record(value, tags));
        listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => Aggregator(state).Record((double)value, tags));
        return listener;
    }

    private static InstrumentAggregator Aggregator(object? state) => (InstrumentAggregator)state!;

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_meterNames.Contains(instrument.Meter.Name) || (_meterScope is not null && !ReferenceEquals(instrument.Meter.Scope, _meterScope)))
        {
            return;
        }

        var aggregator = AggregatorFactory.Create(instrument, _options);
        if (aggregator is null)
        {
            return;
        }

        lock (_registryLock)
        {
            _aggregators.Add(aggregator);
        }

        listener.EnableMeasurementEvents(instrument, aggregator);
    }

    /// <summary>A disposed instrument or meter stops being exported.</summary>
    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        lock (_registryLock)
        {
            _aggregators.Remove(Aggregator(state));
        }
    }

    private List<InstrumentAggregator> SnapshotAggregators()
    {
        lock (_registryLock)
        {
            return [.. _aggregators];
        }
    }
}
