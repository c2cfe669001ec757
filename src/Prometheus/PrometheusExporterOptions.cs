namespace KubeCache.Prometheus;

/// <summary>Settings of a <see cref="PrometheusExporter"/>; validated when the exporter is constructed.</summary>
public sealed class PrometheusExporterOptions
{
    /// <summary>
    /// Default histogram bucket upper bounds, in seconds: 50µs to 10s in a 1–2.5–5 progression,
    /// because most KubeCache histograms time requests that take well under a millisecond on a hit
    /// and seconds only when something is wrong.
    /// </summary>
    public static IReadOnlyList<double> DefaultHistogramBoundaries { get; } =
    [
        0.00005, 0.0001, 0.00025, 0.0005,
        0.001, 0.0025, 0.005,
        0.01, 0.025, 0.05,
        0.1, 0.25, 0.5,
        1, 2.5, 5, 10,
    ];

    /// <summary>
    /// Bucket upper bounds for histograms without advice or a per-instrument override.
    /// Default: <see cref="DefaultHistogramBoundaries"/>.
    /// </summary>
    public IReadOnlyList<double> HistogramBoundaries { get; set; } = DefaultHistogramBoundaries;

    /// <summary>
    /// Bucket upper bounds per instrument name (as created, e.g. <c>kvcache.value.size</c>), taking
    /// precedence over the instrument's <c>InstrumentAdvice</c> and <see cref="HistogramBoundaries"/>.
    /// Default: empty.
    /// </summary>
    public IDictionary<string, IReadOnlyList<double>> HistogramBoundariesByInstrument { get; } =
        new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);

    /// <summary>
    /// When set, only meters whose <c>Meter.Scope</c> is this object are exported. A host's
    /// <c>IMeterFactory</c> creates its meters with itself as scope, so several hosts in one
    /// process (tests, embedded servers) each export only their own. Default: null, every meter
    /// with a listed name.
    /// </summary>
    public object? MeterScope { get; set; }
}
