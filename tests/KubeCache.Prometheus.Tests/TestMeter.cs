using System.Diagnostics.Metrics;

namespace KubeCache.Prometheus.Tests;

/// <summary>
/// A meter with a name unique to one test plus an exporter listening to it, so tests running in
/// parallel never see each other's instruments.
/// </summary>
internal sealed class TestMeter : IDisposable
{
    public TestMeter(PrometheusExporterOptions? options = null)
    {
        MeterName = "KubeCache.Tests." + Guid.NewGuid().ToString("N");
        Meter = new Meter(MeterName);
        Exporter = new PrometheusExporter([MeterName], options);
    }

    public string MeterName { get; }

    public Meter Meter { get; }

    public PrometheusExporter Exporter { get; }

    public string Scrape() => Exporter.WriteToString();

    public void Dispose()
    {
        Exporter.Dispose();
        Meter.Dispose();
    }
}
