using System.Diagnostics.Metrics;
using System.Text;

namespace KubeCache.Prometheus.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public void Write_MeterCreatedAfterExporter_IsExported()
    {
        string name = "KubeCache.Late." + Guid.NewGuid().ToString("N");
        using var exporter = new PrometheusExporter([name]);
        using var meter = new Meter(name);

        meter.CreateCounter<long>("late").Add(4);

        Assert.Equal("# TYPE late_total counter\nlate_total 4\n", exporter.WriteToString());
    }

    [Fact]
    public void Write_MeterNameInDifferentCase_IsExported()
    {
        string name = "KubeCache.Case." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(name);
        using var exporter = new PrometheusExporter([name.ToUpperInvariant()]);

        meter.CreateCounter<long>("cased").Add(1);

        Assert.Equal("# TYPE cased_total counter\ncased_total 1\n", exporter.WriteToString());
    }

    [Fact]
    public void Write_UnlistedMeter_IsIgnored()
    {
        using var test = new TestMeter();
        using var other = new Meter("KubeCache.Other." + Guid.NewGuid().ToString("N"));

        other.CreateCounter<long>("elsewhere").Add(1);

        Assert.Equal("", test.Scrape());
    }

    [Fact]
    public void Write_MeterDisposed_ItsFamiliesDisappear()
    {
        using var test = new TestMeter();
        test.Meter.CreateCounter<long>("gone").Add(1);

        test.Meter.Dispose();

        Assert.Equal("", test.Scrape());
    }

    [Fact]
    public void Write_AfterDispose_ThrowsObjectDisposed()
    {
        var test = new TestMeter();
        test.Dispose();

        Assert.Throws<ObjectDisposedException>(() => test.Scrape());
    }

    [Fact]
    public async Task WriteAsync_Stream_WritesUtf8Text()
    {
        using var test = new TestMeter();
        test.Meter.CreateCounter<long>("streamed", null, "Grüße.").Add(1);
        using var stream = new MemoryStream();

        await test.Exporter.WriteAsync(stream);

        Assert.Equal("# HELP streamed_total Grüße.\n# TYPE streamed_total counter\nstreamed_total 1\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Constructor_NoMeterNames_ThrowsNamingTheParameter()
    {
        var error = Assert.Throws<ArgumentException>(() => new PrometheusExporter([]));

        Assert.Equal("meterNames", error.ParamName);
    }

    [Fact]
    public void Constructor_DescendingBoundaries_ThrowsNamingTheSetting()
    {
        var options = new PrometheusExporterOptions();
        options.HistogramBoundariesByInstrument["sizes"] = [10, 5];

        var error = Assert.Throws<ArgumentException>(() => new PrometheusExporter(["m"], options));

        Assert.Contains("HistogramBoundariesByInstrument[\"sizes\"]", error.Message, StringComparison.Ordinal);
        Assert.Contains("not ascending", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_OptionsChangedLater_KeepsCopy()
    {
        var options = new PrometheusExporterOptions { HistogramBoundaries = [1] };
        string name = "KubeCache.Copy." + Guid.NewGuid().ToString("N");
        using var exporter = new PrometheusExporter([name], options);
        options.HistogramBoundaries = [1, 2, 3];
        using var meter = new Meter(name);

        meter.CreateHistogram<double>("h").Record(0.5);

        Assert.Contains("h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\n", exporter.WriteToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_ArePinned()
    {
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", PrometheusExporter.ContentType);
        Assert.Equal(
            [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            PrometheusExporterOptions.DefaultHistogramBoundaries);
        Assert.Same(PrometheusExporterOptions.DefaultHistogramBoundaries, new PrometheusExporterOptions().HistogramBoundaries);
        Assert.Empty(new PrometheusExporterOptions().HistogramBoundariesByInstrument);
    }
}
