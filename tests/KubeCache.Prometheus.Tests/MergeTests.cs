using System.Diagnostics.Metrics;

namespace KubeCache.Prometheus.Tests;

public sealed class MergeTests
{
    [Fact]
    public void Write_TwoInstrumentsSameNameAndType_MergeIntoOneFamily()
    {
        using var test = new TestMeter();
        using var second = new Meter(test.MeterName);
        test.Meter.CreateCounter<long>("kvcache.requests", null, "Requests.").Add(2, new KeyValuePair<string, object?>("op", "get"));
        second.CreateCounter<double>("kvcache.requests").Add(1.5, new KeyValuePair<string, object?>("op", "get"));
        second.CreateCounter<long>("kvcache.requests_total").Add(1, new KeyValuePair<string, object?>("op", "set"));

        Assert.Equal(
            """
            # HELP kvcache_requests_total Requests.
            # TYPE kvcache_requests_total counter
            kvcache_requests_total{op="get"} 3.5
            kvcache_requests_total{op="set"} 1

            """,
            test.Scrape());
    }

    [Fact]
    public void Write_SameNameDifferentType_FirstWinsAndClashIsNoted()
    {
        using var test = new TestMeter();
        test.Meter.CreateObservableGauge("kvcache.items", () => 3);
        test.Meter.CreateObservableGauge("kvcache_items", () => 4L);
        test.Meter.CreateHistogram<double>("kvcache.items").Record(1);

        string output = test.Scrape();

        Assert.Equal(
            $"""
            # Instrument kvcache.items of meter {test.MeterName} is not exported as kvcache_items: it is a histogram and the family is a gauge.
            # TYPE kvcache_items gauge
            kvcache_items 7

            """,
            output);
    }

    [Fact]
    public void Write_HistogramsWithDifferentBuckets_SecondIsNoted()
    {
        var options = new PrometheusExporterOptions();
        options.HistogramBoundariesByInstrument["a.lat"] = [1];
        options.HistogramBoundariesByInstrument["a_lat"] = [2];
        using var test = new TestMeter(options);
        test.Meter.CreateHistogram<double>("a.lat").Record(1);
        test.Meter.CreateHistogram<double>("a_lat").Record(1);

        string output = test.Scrape();

        Assert.StartsWith($"# Instrument a_lat of meter {test.MeterName} is not exported as a_lat: its histogram buckets differ.\n", output, StringComparison.Ordinal);
        Assert.Contains("a_lat_bucket{le=\"1\"} 1\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("le=\"2\"", output, StringComparison.Ordinal);
    }
}
