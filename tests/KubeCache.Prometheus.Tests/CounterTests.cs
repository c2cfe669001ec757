namespace KubeCache.Prometheus.Tests;

public sealed class CounterTests
{
    [Fact]
    public void Write_CounterWithTags_SumsPerTagSet()
    {
        using var test = new TestMeter();
        var counter = test.Meter.CreateCounter<long>("kvcache.requests", "{request}", "Requests served.");

        counter.Add(2, new("op", "get"), new("status", "hit"));
        counter.Add(3, new("op", "get"), new("status", "hit"));
        counter.Add(1, new("op", "set"), new("status", "ok"));

        Assert.Equal(
            """
            # HELP kvcache_requests_total Requests served.
            # TYPE kvcache_requests_total counter
            kvcache_requests_total{op="get",status="hit"} 5
            kvcache_requests_total{op="set",status="ok"} 1

            """,
            test.Scrape());
    }

    [Fact]
    public void Write_TagsInDifferentOrder_SameSeries()
    {
        using var test = new TestMeter();
        var counter = test.Meter.CreateCounter<int>("hits");

        counter.Add(1, new("b", 2), new("a", "x"));
        counter.Add(1, new("a", "x"), new("b", 2));

        Assert.Equal("# TYPE hits_total counter\nhits_total{a=\"x\",b=\"2\"} 2\n", test.Scrape());
    }

    [Fact]
    public void Write_DoubleCounterWithSecondsUnit_AddsUnitBeforeTotal()
    {
        using var test = new TestMeter();
        var counter = test.Meter.CreateCounter<double>("kvcache.cpu.time_total", "s");

        counter.Add(0.25);
        counter.Add(0.5);

        Assert.Equal("# TYPE kvcache_cpu_time_seconds_total counter\nkvcache_cpu_time_seconds_total 0.75\n", test.Scrape());
    }

    [Fact]
    public void Write_NoMeasurementsYet_WritesOnlyTypeLine()
    {
        using var test = new TestMeter();
        test.Meter.CreateCounter<long>("idle");

        Assert.Equal("# TYPE idle_total counter\n", test.Scrape());
    }

    [Fact]
    public void Write_SmallIntegerTypes_AreCounted()
    {
        using var test = new TestMeter();
        test.Meter.CreateCounter<byte>("b").Add(200);
        test.Meter.CreateCounter<short>("s").Add(300);
        test.Meter.CreateCounter<float>("f").Add(1.5f);
        test.Meter.CreateCounter<decimal>("d").Add(2.25m);

        Assert.Equal(
            """
            # TYPE b_total counter
            b_total 200
            # TYPE d_total counter
            d_total 2.25
            # TYPE f_total counter
            f_total 1.5
            # TYPE s_total counter
            s_total 300

            """,
            test.Scrape());
    }
}
