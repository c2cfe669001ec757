using KubeCache.Prometheus.Exposition;

namespace KubeCache.Prometheus.Aggregation;

/// <summary>
/// One counter or gauge value. Integer and floating measurements go to separate cells so integer
/// instruments use a single <see cref="Interlocked.Add(ref long, long)"/>; an instrument only ever uses one of them.
/// </summary>
internal sealed class ScalarSeries
{
    private long _integer;
    private double _floating;

    public void Add(long value) => Interlocked.Add(ref _integer, value);

    public void Add(double value) => AtomicDouble.Add(ref _floating, value);

    public void Set(long value) => Interlocked.Exchange(ref _integer, value);

    public void Set(double value) => Interlocked.Exchange(ref _floating, value);

    public MetricValue Read() => new(Interlocked.Read(ref _integer), Volatile.Read(ref _floating));
}
