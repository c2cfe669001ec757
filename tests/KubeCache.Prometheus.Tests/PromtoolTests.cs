using System.Diagnostics.Metrics;
using KubeCache.Testing;

namespace KubeCache.Prometheus.Tests;

public sealed class PromtoolTests
{
    [Fact]
    public async Task Write_RealisticCacheNodeMetrics_PassPromtoolCheckAndLint()
    {
        using var test = new TestMeter();
        RecordLikeACacheNode(test.Meter);
        using var stream = new MemoryStream();
        await test.Exporter.WriteAsync(stream);
        string exposition = System.Text.Encoding.UTF8.GetString(stream.ToArray());

        var (exitCode, output) = await Promtool.CheckMetricsAsync(exposition);

        Assert.True(exitCode == 0, $"promtool check metrics exited {exitCode}:\n{output}\n--- input ---\n{exposition}");
    }

    private static void RecordLikeACacheNode(Meter meter)
    {
        var requests = meter.CreateCounter<long>("kvcache.requests", "{request}", "Requests served, by command and outcome.");
        var duration = meter.CreateHistogram<double>("kvcache.request.duration", "s", "Time from parsing a command to\nqueueing its reply, C:\\ style.");
        var valueSize = meter.CreateHistogram<long>(
            "kvcache.value.size", "By", "Size of stored values.", null, new InstrumentAdvice<long> { HistogramBucketBoundaries = [64, 1024, 65536] });
        var memory = meter.CreateUpDownCounter<long>("kvcache.memory.used", "By", "Bytes held by keys and values.");
        var cpu = meter.CreateCounter<double>("kvcache.gc.pause.time", "s", "Time paused for garbage collection.");
        meter.CreateObservableGauge("kvcache.connections", () => new Measurement<int>(12, new KeyValuePair<string, object?>("listener", "resp")), "{connection}", "Open client connections.");
        meter.CreateObservableCounter("kvcache.evictions", () => 42L, "{key}", "Keys evicted to stay under the memory limit.");

        string[] commands = ["get", "set", "del"];
        foreach (string command in commands)
        {
            requests.Add(10, new("command", command), new("outcome", "ok"));
            duration.Record(0.0004, new KeyValuePair<string, object?>("command", command));
            duration.Record(0.02, new KeyValuePair<string, object?>("command", command));
        }

        requests.Add(1, new("command", "quote\" back\\slash\nnewline ünï"), new("outcome", "error"));
        requests.Add(2, new("command", ""), new("outcome", "error"));
        valueSize.Record(100, new("shard", 3), new("compressed", true));
        memory.Add(1_048_576, new KeyValuePair<string, object?>("shard", 3));
        cpu.Add(0.125);
    }
}
