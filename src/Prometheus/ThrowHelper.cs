using System.Diagnostics.CodeAnalysis;

namespace KubeCache.Prometheus;

/// <summary>The one place this project throws from, so messages stay consistent.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowInvalidBoundaries(string setting, string reason) =>
        throw new ArgumentException(
            $"{setting}: histogram bucket boundaries {reason}; give a non-empty list of finite numbers in strictly ascending order.",
            setting);

    [DoesNotReturn]
    public static void ThrowNoMeterNames() =>
        throw new ArgumentException(
            "meterNames: give at least one Meter name to export, for example \"KubeCache.CacheNode\".",
            "meterNames");

    [DoesNotReturn]
    public static void ThrowDisposed() =>
        throw new ObjectDisposedException(nameof(PrometheusExporter), "The exporter was disposed; create a new one to scrape again.");
}
