namespace KubeCache.Prometheus.Tests;

/// <summary>The measurement callback is the cache's hot path: once a tag set is known it must not allocate.</summary>
public sealed class AllocationTests
{
    private const int Iterations = 10_000;

    [Fact]
    public void Record_KnownTagSets_AllocatesNothing()
    {
        using var test = new TestMeter();
        var requests = test.Meter.CreateCounter<long>("requests");
        var seconds = test.Meter.CreateCounter<double>("seconds");
        var inFlight = test.Meter.CreateUpDownCounter<int>("in_flight");
        var duration = test.Meter.CreateHistogram<double>("duration", "s");
        var op = new KeyValuePair<string, object?>("op", "get");
        var status = new KeyValuePair<string, object?>("status", "hit");
        var shard = new KeyValuePair<string, object?>("shard", "s1");
        RecordAll();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            RecordAll();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void RecordAll()
        {
            requests.Add(1, op, status, shard);
            requests.Add(1, status, op, shard);
            requests.Add(1);
            seconds.Add(0.5, op);
            inFlight.Add(1, shard);
            duration.Record(0.001, op, status);
        }
    }
}
