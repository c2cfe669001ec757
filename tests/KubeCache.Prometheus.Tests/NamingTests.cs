using KubeCache.Prometheus.Exposition;

namespace KubeCache.Prometheus.Tests;

public sealed class NamingTests
{
    [Theory]
    [InlineData("kvcache.requests", null, "Counter", "kvcache_requests_total")]
    [InlineData("kvcache.requests_total", null, "Counter", "kvcache_requests_total")]
    [InlineData("kvcache.requests", "{request}", "Counter", "kvcache_requests_total")]
    [InlineData("kvcache.request.duration", "s", "Histogram", "kvcache_request_duration_seconds")]
    [InlineData("kvcache.request.duration_seconds", "s", "Histogram", "kvcache_request_duration_seconds")]
    [InlineData("kvcache.memory", "By", "Gauge", "kvcache_memory_bytes")]
    [InlineData("kvcache.network.io", "By", "Counter", "kvcache_network_io_bytes_total")]
    [InlineData("kvcache.throughput", "By/s", "Gauge", "kvcache_throughput_bytes_per_second")]
    [InlineData("kvcache.rate", "{request}/s", "Gauge", "kvcache_rate_per_second")]
    [InlineData("kvcache.ratio", "1", "Gauge", "kvcache_ratio")]
    [InlineData("kv-cache/hit rate", null, "Gauge", "kv_cache_hit_rate")]
    [InlineData("kv:cache..hits", null, "Gauge", "kv_cache_hits")]
    [InlineData("9lives", null, "Gauge", "_9lives")]
    [InlineData("_total", null, "Counter", "_total_total")]
    public void FamilyName_InstrumentNameAndUnit_FollowsPrometheusConventions(string name, string? unit, string type, string expected)
    {
        Assert.Equal(expected, MetricNamer.FamilyName(name, unit, Enum.Parse<MetricType>(type)));
    }

    [Theory]
    [InlineData("op", "op")]
    [InlineData("http.method", "http_method")]
    [InlineData("1st", "_1st")]
    [InlineData("na\u00efve", "na_ve")]
    public void SanitizeLabelName_InvalidCharacters_BecomeUnderscore(string name, string expected)
    {
        Assert.Equal(expected, MetricNamer.SanitizeLabelName(name));
    }

    [Fact]
    public void Write_TagKeysThatCollide_JoinValuesInOneLabel()
    {
        using var test = new TestMeter();
        var counter = test.Meter.CreateCounter<long>("c");

        counter.Add(1, new("a.b", "x"), new("a_b", "y"));

        Assert.Contains("c_total{a_b=\"x;y\"} 1\n", test.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FamiliesFromSeveralInstruments_SortedByName()
    {
        using var test = new TestMeter();
        test.Meter.CreateObservableGauge("zeta", () => 1);
        test.Meter.CreateObservableGauge("alpha", () => 2);
        test.Meter.CreateObservableGauge("Mid", () => 3);

        Assert.Equal("# TYPE Mid gauge\nMid 3\n# TYPE alpha gauge\nalpha 2\n# TYPE zeta gauge\nzeta 1\n", test.Scrape());
    }
}
