using System.Diagnostics.Metrics;

namespace KubeCache.Prometheus.Tests;

public sealed class ObservableTests
{
    [Fact]
    public void Write_ObservableCounter_ReportsLastObservedTotal()
    {
        using var test = new TestMeter();
        long evictions = 0;
        test.Meter.CreateObservableCounter("kvcache.evictions", () => evictions, "{eviction}", "Keys evicted.");

        evictions = 7;
        test.Scrape();
        evictions = 12;

        Assert.Equal(
            """
            # HELP kvcache_evictions_total Keys evicted.
            # TYPE kvcache_evictions_total counter
            kvcache_evictions_total 12

            """,
            test.Scrape());
    }

    [Fact]
    public void Write_ObservableGaugeSeriesStopsReporting_SeriesDisappears()
    {
        using var test = new TestMeter();
        var shards = new List<Measurement<double>> { new(0.5, new KeyValuePair<string, object?>("shard", "a")), new(0.7, new KeyValuePair<string, object?>("shard", "b")) };
        test.Meter.CreateObservableGauge("kvcache.shard.fill", () => shards.ToArray());

        string first = test.Scrape();
        shards.RemoveAt(0);
        string second = test.Scrape();

        Assert.Equal("# TYPE kvcache_shard_fill gauge\nkvcache_shard_fill{shard=\"a\"} 0.5\nkvcache_shard_fill{shard=\"b\"} 0.7\n", first);
        Assert.Equal("# TYPE kvcache_shard_fill gauge\nkvcache_shard_fill{shard=\"b\"} 0.7\n", second);
    }

    [Fact]
    public void Write_ObservableUpDownCounter_IsGauge()
    {
        using var test = new TestMeter();
        test.Meter.CreateObservableUpDownCounter("kvcache.keys", () => -3, "{key}");

        Assert.Equal("# TYPE kvcache_keys gauge\nkvcache_keys -3\n", test.Scrape());
    }
}
