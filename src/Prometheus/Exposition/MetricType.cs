namespace KubeCache.Prometheus.Exposition;

/// <summary>The Prometheus metric types this exporter emits, as written on the <c># TYPE</c> line.</summary>
internal enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}

internal static class MetricTypeExtensions
{
    public static string ToText(this MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        _ => "histogram",
    };
}
