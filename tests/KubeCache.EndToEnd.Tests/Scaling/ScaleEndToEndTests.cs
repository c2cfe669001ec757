using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace KubeCache.EndToEnd.Tests.Scaling;

/// <summary>
/// The issue's end-to-end scenario: kubectl applies the CRD and examples/kvcluster.yaml, the real
/// operator brings up 3 nodes and 2 routers, 20,000 keys go in through a router, then
/// kubectl scale 3 → 5 → 2 under a running reader and writer, with the API server dropping every
/// watch and compacting its history in the middle of the scale-up. Bound: 6 minutes.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ScaleEndToEndTests(ITestOutputHelper output)
{
    private const int Keys = 20_000;
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ScaleBound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task KvCluster_ScaleUpAndDownWithWatchesDropped_NoKeyLostNoFailedRequest()
    {
        await using KubeCacheHarness harness = await KubeCacheHarness.StartAsync("operator-0");
        try
        {
            var clock = Stopwatch.StartNew();
            await harness.ApplyExampleAsync();
            KvClusterState first = await harness.WaitReadyAsync(3, 0, DateTimeOffset.MinValue, StartBound);
            IPAddress router = await harness.RouterAsync(StartBound);
            output.WriteLine($"Ready with 3 members at epoch {first.Epoch} after {clock.Elapsed.TotalSeconds:F1} s");

            await using var traffic = new CacheTraffic(router);
            await traffic.LoadAsync(Keys);
            traffic.Start();

            // 3 → 5, dropping every watch and compacting history once keys are moving.
            DateTimeOffset upAt = DateTimeOffset.UtcNow;
            clock.Restart();
            await harness.KubectlAsync("scale", "kvc/demo", "--replicas=5");
            await harness.Observer.WaitForAsync(s => s.Phase == "Rebalancing", upAt, ScaleBound, "phase Rebalancing after scaling to 5");
            harness.Server.CompactHistory();
            int dropped = harness.Server.DropWatches();
            KvClusterState five = await harness.WaitReadyAsync(5, first.Epoch, upAt, ScaleBound);
            output.WriteLine($"3 → 5: Ready at epoch {five.Epoch} after {clock.Elapsed.TotalSeconds:F1} s ({dropped} watches dropped mid-scale)");

            // 5 → 2.
            DateTimeOffset downAt = DateTimeOffset.UtcNow;
            clock.Restart();
            await harness.KubectlAsync("scale", "kvc/demo", "--replicas=2");
            await harness.Observer.WaitForAsync(s => s.Phase == "Rebalancing", downAt, ScaleBound, "phase Rebalancing after scaling to 2");
            KvClusterState two = await harness.WaitReadyAsync(2, five.Epoch, downAt, ScaleBound);
            await harness.Server.WaitForAsync("apps", "statefulsets", KubeCacheHarness.Namespace, KubeCacheHarness.Name,
                s => s.Long("spec", "replicas") == 2 && s.Long("status", "replicas") == 2, ScaleBound);
            output.WriteLine($"5 → 2: Ready at epoch {two.Epoch} after {clock.Elapsed.TotalSeconds:F1} s");

            await traffic.StopAsync();
            List<string> lost = await traffic.FindLostKeysAsync();
            output.WriteLine($"{Keys} loaded keys, {traffic.Writes} background writes, {traffic.Reads} background reads, {traffic.Failures} failed requests, {lost.Count} keys lost");
            Assert.True(traffic.Failures == 0, "failed requests:\n" + string.Join('\n', traffic.Errors));
            Assert.True(lost.Count == 0, $"{lost.Count} keys lost, e.g. {string.Join(", ", lost.Take(10))}");

            AssertFinalStatus(harness.KvCluster(), two.Epoch);
            AssertEvents(harness);
            await AssertPrinterColumnsAsync(harness, two.Epoch);
            Assert.Empty(harness.Cluster.Faults);
        }
        catch
        {
            output.WriteLine(harness.Describe());
            throw;
        }
    }

    internal static void AssertFinalStatus(JsonObject kvc, long epoch)
    {
        Assert.Equal("Ready", kvc.Str("status", "phase"));
        Assert.Equal(epoch, kvc.Long("status", "ringEpoch"));
        Assert.Equal(kvc.Long("metadata", "generation"), kvc.Long("status", "observedGeneration"));
        Assert.Equal("True", kvc.Condition("Ready"));
        Assert.NotEqual("True", kvc.Condition("Rebalancing"));
        Assert.Equal(2, kvc.Long("status", "readyReplicas"));
        Assert.Equal(["demo-0", "demo-1"], (kvc["status"]!["members"] as JsonArray)!.Select(m => m!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    private static void AssertEvents(KubeCacheHarness harness)
    {
        var events = harness.Server.List("events.k8s.io", "events", KubeCacheHarness.Namespace)
            .Where(e => e.Str("regarding", "kind") == "KvCluster" && e.Str("regarding", "name") == KubeCacheHarness.Name).ToList();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.Str("reason"))));
    }

    private static async Task AssertPrinterColumnsAsync(KubeCacheHarness harness, long epoch)
    {
        string table = await harness.KubectlAsync("get", "kvc");
        string[] lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "REPLICAS", "READY", "EPOCH", "PHASE", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        string[] row = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["demo", "2", "2", epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), "Ready"], row[..5]);
        Assert.Matches("^[0-9]+[smh]", row[5]);
    }
}
