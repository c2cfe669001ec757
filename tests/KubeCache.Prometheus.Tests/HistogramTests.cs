using System.Diagnostics.Metrics;

namespace KubeCache.Prometheus.Tests;

public sealed class HistogramTests
{
    [Fact]
    public void Write_Histogram_BucketsAreCumulativeWithSumAndCount()
    {
        var options = new PrometheusExporterOptions();
        options.HistogramBoundariesByInstrument["kvcache.request.duration"] = [0.001, 0.01, 0.1];
        using var test = new TestMeter(options);
        var duration = test.Meter.CreateHistogram<double>("kvcache.request.duration", "s", "Request latency.");

        duration.Record(0.0005, new KeyValuePair<string, object?>("op", "get"));
        duration.Record(0.001, new KeyValuePair<string, object?>("op", "get"));
        duration.Record(0.05, new KeyValuePair<string, object?>("op", "get"));
        duration.Record(3, new KeyValuePair<string, object?>("op", "get"));

        Assert.Equal(
            """
            # HELP kvcache_request_duration_seconds Request latency.
            # TYPE kvcache_request_duration_seconds histogram
            kvcache_request_duration_seconds_bucket{op="get",le="0.001"} 2
            kvcache_request_duration_seconds_bucket{op="get",le="0.01"} 2
            kvcache_request_duration_seconds_bucket{op="get",le="0.1"} 3
            kvcache_request_duration_seconds_bucket{op="get",le="+Inf"} 4
            kvcache_request_duration_seconds_sum{op="get"} 3.0515
            kvcache_request_duration_seconds_count{op="get"} 4

            """,
            test.Scrape());
    }

    [Fact]
    public void Write_HistogramWithoutAdviceOrOverride_UsesDefaultBoundaries()
    {
        using var test = new TestMeter();
        test.Meter.CreateHistogram<double>("latency", "s").Record(0.00004);

        string[] bucketLines = [.. test.Scrape().Split('\n').Where(l => l.StartsWith("latency_seconds_bucket", StringComparison.Ordinal))];

        Assert.Equal(PrometheusExporterOptions.DefaultHistogramBoundaries.Count + 1, bucketLines.Length);
        Assert.Equal("latency_seconds_bucket{le=\"0.00005\"} 1", bucketLines[0]);
        Assert.Equal("latency_seconds_bucket{le=\"+Inf\"} 1", bucketLines[^1]);
    }

    [Fact]
    public void Write_HistogramWithAdvice_UsesAdvisedBoundaries()
    {
        using var test = new TestMeter();
        var sizes = test.Meter.CreateHistogram<long>(
            "kvcache.value.size", "By", null, null, new InstrumentAdvice<long> { HistogramBucketBoundaries = [64, 1024] });

        sizes.Record(100);

        Assert.Equal(
            """
            # TYPE kvcache_value_size_bytes histogram
            kvcache_value_size_bytes_bucket{le="64"} 0
            kvcache_value_size_bytes_bucket{le="1024"} 1
            kvcache_value_size_bytes_bucket{le="+Inf"} 1
            kvcache_value_size_bytes_sum 100
            kvcache_value_size_bytes_count 1

            """,
            test.Scrape());
    }

    [Fact]
    public void Write_OptionOverride_WinsOverAdvice()
    {
        var options = new PrometheusExporterOptions();
        options.HistogramBoundariesByInstrument["sizes"] = [10];
        using var test = new TestMeter(options);
        var sizes = test.Meter.CreateHistogram<int>(
            "sizes", null, null, null, new InstrumentAdvice<int> { HistogramBucketBoundaries = [64, 1024] });

        sizes.Record(5);

        Assert.Contains("sizes_bucket{le=\"10\"} 1\nsizes_bucket{le=\"+Inf\"} 1\n", test.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NaNMeasurement_CountsInInfBucketOnly()
    {
        var options = new PrometheusExporterOptions { HistogramBoundaries = [1] };
        using var test = new TestMeter(options);
        test.Meter.CreateHistogram<double>("odd").Record(double.NaN);

        Assert.Contains("odd_bucket{le=\"1\"} 0\nodd_bucket{le=\"+Inf\"} 1\nodd_sum NaN\nodd_count 1\n", test.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_TagNamedLe_IsRenamedSoBucketLabelStaysUnique()
    {
        var options = new PrometheusExporterOptions { HistogramBoundaries = [1] };
        using var test = new TestMeter(options);
        test.Meter.CreateHistogram<double>("h").Record(0.5, new KeyValuePair<string, object?>("le", "x"));

        Assert.Contains("h_bucket{_le=\"x\",le=\"1\"} 1\n", test.Scrape(), StringComparison.Ordinal);
    }
}
