using System.Diagnostics.Metrics;
using System.Numerics;

namespace KubeCache.Prometheus.Aggregation;

/// <summary>Chooses and validates histogram bucket bounds.</summary>
internal static class BucketBoundaries
{
    public static void Validate(PrometheusExporterOptions options)
    {
        Validate(options.HistogramBoundaries, $"{nameof(PrometheusExporterOptions)}.{nameof(PrometheusExporterOptions.HistogramBoundaries)}");
        foreach (var (name, bounds) in options.HistogramBoundariesByInstrument)
        {
            Validate(bounds, $"{nameof(PrometheusExporterOptions)}.{nameof(PrometheusExporterOptions.HistogramBoundariesByInstrument)}[\"{name}\"]");
        }
    }

    /// <summary>Per-instrument option first, then the instrument's advice, then the exporter default.</summary>
    public static double[] Resolve(Instrument instrument, PrometheusExporterOptions options)
    {
        if (options.HistogramBoundariesByInstrument.TryGetValue(instrument.Name, out var configured))
        {
            return [.. configured];
        }

        double[]? advised = FromAdvice(instrument);
        return advised is not null && Problem(advised) is null ? advised : [.. options.HistogramBoundaries];
    }

    private static void Validate(IReadOnlyList<double>? bounds, string setting)
    {
        if (Problem(bounds) is { } problem)
        {
            ThrowHelper.ThrowInvalidBoundaries(setting, problem);
        }
    }

    private static string? Problem(IReadOnlyList<double>? bounds)
    {
        if (bounds is null || bounds.Count == 0)
        {
            return "are empty";
        }

        for (int i = 0; i < bounds.Count; i++)
        {
            if (!double.IsFinite(bounds[i]))
            {
                return $"contain {bounds[i]} at index {i}";
            }

            if (i > 0 && bounds[i] <= bounds[i - 1])
            {
                return $"are not ascending at index {i} ({bounds[i - 1]} then {bounds[i]})";
            }
        }

        return null;
    }

    private static double[]? FromAdvice(Instrument instrument) => instrument switch
    {
        Instrument<double> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<float> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<long> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<int> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<short> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<byte> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<decimal> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        _ => null,
    };

    private static double[]? ToDoubles<T>(IReadOnlyList<T>? bounds)
        where T : INumberBase<T> =>
        bounds?.Select(static b => double.CreateTruncating(b)).ToArray();
}
