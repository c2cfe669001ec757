namespace KubeCache.Prometheus.Exposition;

/// <summary>
/// One series of a family at scrape time. <see cref="Labels"/> is the rendered, escaped label list
/// without braces (<c>op="get",status="hit"</c>), empty when the series has no labels; it is both
/// the sort key and the identity used to merge series.
/// </summary>
internal readonly record struct MetricPoint(string Labels, MetricValue Value, HistogramData? Histogram)
{
    public static MetricPoint Scalar(string labels, MetricValue value) => new(labels, value, null);

    public static MetricPoint ForHistogram(string labels, HistogramData histogram) => new(labels, default, histogram);

    public MetricPoint Add(MetricPoint other) =>
        Histogram is null || other.Histogram is null
            ? this with { Value = Value + other.Value }
            : this with { Histogram = Histogram.Add(other.Histogram) };
}
