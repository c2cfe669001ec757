namespace KubeCache.Prometheus.Tests;

public sealed class GaugeTests
{
    [Fact]
    public void Write_UpDownCounter_SumsAsGauge()
    {
        using var test = new TestMeter();
        var connections = test.Meter.CreateUpDownCounter<long>("kvcache.connections", "{connection}", "Open client connections.");

        connections.Add(5);
        connections.Add(-2);

        Assert.Equal(
            """
            # HELP kvcache_connections Open client connections.
            # TYPE kvcache_connections gauge
            kvcache_connections 3

            """,
            test.Scrape());
    }

    [Fact]
    public void Write_UpDownCounterBytes_AddsBytesSuffix()
    {
        using var test = new TestMeter();
        var memory = test.Meter.CreateUpDownCounter<double>("kvcache.memory.used", "By");

        memory.Add(1536.5, new KeyValuePair<string, object?>("shard", 3));
        memory.Add(-0.5, new KeyValuePair<string, object?>("shard", 3));

        Assert.Equal("# TYPE kvcache_memory_used_bytes gauge\nkvcache_memory_used_bytes{shard=\"3\"} 1536\n", test.Scrape());
    }

    [Fact]
    public void Write_SynchronousGauge_KeepsLastValue()
    {
        using var test = new TestMeter();
        var gauge = test.Meter.CreateGauge<double>("kvcache.load", null, "Load factor.");

        gauge.Record(0.9);
        gauge.Record(0.4);

        Assert.Equal("# HELP kvcache_load Load factor.\n# TYPE kvcache_load gauge\nkvcache_load 0.4\n", test.Scrape());
    }
}
