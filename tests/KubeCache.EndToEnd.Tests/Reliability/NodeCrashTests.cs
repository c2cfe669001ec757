using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Cluster;
using KubeCache.EndToEnd.Tests.Scaling;
using KubeCache.EndToEnd.Tests.Support;
using KubeCache.Testing;
using Xunit.Abstractions;

namespace KubeCache.EndToEnd.Tests.Reliability;

/// <summary>
/// kill -9 of one node's process in a 3-node KvCluster: the kubelet restarts the container, the
/// operator sees the restart in the pod's status and reports the loss (a Warning Event NodeLost
/// and kvcache_operator_node_losses_total / kvcache_operator_keys_lost_total on its /metrics)
/// with the keys the node held at its last poll; exactly those keys are gone, the other nodes'
/// are all still readable, and the restarted node takes new writes. Bound: 2 minutes per phase.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class NodeCrashTests(ITestOutputHelper output)
{
    private const int Keys = 10_000;
    private const string Victim = "demo-1";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task KvCluster_NodeCrashKill9_LossCountedInEventAndMetricOthersKeepTheirKeys()
    {
        await using KubeCacheHarness harness = await KubeCacheHarness.StartAsync();
        try
        {
            OperatorProcess op = OperatorProcess.Start(harness.Server, "operator-0", harness.Cluster.LogDirectory,
                new Dictionary<string, string> { ["KVCACHE_NODE_POLL_INTERVAL"] = "1s" });
            harness.Operators.Add(op);
            await harness.ApplyExampleAsync();
            await harness.WaitReadyAsync(3, 0, DateTimeOffset.MinValue, Bound);
            await using var traffic = new CacheTraffic(await harness.RouterAsync(Bound));
            await traffic.LoadAsync(Keys);

            // The operator's polls have seen every key, so the loss it reports is what the node held.
            await Poll.UntilAsync(async () => await op.MetricAsync("kvcache_operator_node_keys") == Keys, "the operator's poll to count every key", Bound, TimeSpan.FromMilliseconds(200));
            long held = (long)(await MetricsText.ScrapeAsync(op.HttpPort, "kvcache_operator_node_keys", $"node=\"{Victim}\""))!.Value;
            Assert.InRange(held, 1, Keys - 1);

            PodRuntime victim = harness.Cluster.Pod(KubeCacheHarness.Namespace, Victim)!;
            Assert.True(await victim.Process!.SignalAsync("KILL"), $"kill -9 of {Victim} failed");

            JsonObject lossEvent = await harness.Server.WaitUntilAsync(
                () => harness.Server.List("events.k8s.io", "events", KubeCacheHarness.Namespace).FirstOrDefault(e => e.Str("reason") == "NodeLost"),
                Bound, "a NodeLost Event");
            string note = lossEvent.Str("note")!;
            output.WriteLine($"{lossEvent.Str("type")} {lossEvent.Str("reason")}: {note}");
            Assert.Equal("Warning", lossEvent.Str("type"));
            Assert.Equal("KvCluster", lossEvent.Str("regarding", "kind"));
            Assert.Contains($"Node {Victim}'s container restarted on its own (Error, exit code 137)", note, StringComparison.Ordinal);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"the {held} keys it held"), note, StringComparison.Ordinal);
            await Poll.UntilAsync(async () => await op.MetricAsync("kvcache_operator_node_losses_total") == 1 && await op.MetricAsync("kvcache_operator_keys_lost_total") == held,
                "the loss on the operator's /metrics", Bound, TimeSpan.FromMilliseconds(200));

            // The restarted container serves again: exactly its keys are gone, every other node's are there.
            await harness.Server.WaitForAsync("", "pods", KubeCacheHarness.Namespace, Victim,
                p => p["status"]?["containerStatuses"]?[0]?["restartCount"]?.GetValue<int>() == 1 && p.Condition("Ready") == "True", Bound);
            List<string>? lost = null;
            await Poll.UntilAsync(async () => (lost = await traffic.TryFindLostKeysAsync()) is not null,
                $"the router to read {Victim}'s keys again", Bound, TimeSpan.FromMilliseconds(200));
            output.WriteLine($"{Keys} keys loaded, {held} on {Victim} at the last poll, {lost!.Count} unreadable after its crash");
            Assert.Equal(held, lost!.Count);

            // New writes fill the restarted node again.
            await Poll.UntilAsync(() => WritesAsync(traffic, lost), "the lost keys to be written again", Bound, TimeSpan.FromMilliseconds(200));
            Assert.Empty(await traffic.FindLostKeysAsync());
            await Poll.UntilAsync(async () => await MetricsText.ScrapeAsync(op.HttpPort, "kvcache_operator_node_keys", $"node=\"{Victim}\"") == held,
                $"{Victim} to hold its keys again", Bound, TimeSpan.FromMilliseconds(200));
            Assert.Equal(1, await op.MetricAsync("kvcache_operator_node_losses_total"));
            Assert.Empty(harness.Cluster.Faults);
        }
        catch
        {
            output.WriteLine(harness.Describe());
            throw;
        }
    }

    /// <summary>Writes <paramref name="keys"/> again with their values through the router; false while it refuses (its connection to the restarted node is still down).</summary>
    private static async Task<bool> WritesAsync(CacheTraffic traffic, List<string> keys)
    {
        foreach (string[] chunk in keys.Chunk(1000))
        {
            var items = new JsonArray([.. chunk.Select(k => (JsonNode)new JsonObject { ["key"] = k, ["value"] = CacheTraffic.Value(int.Parse(k["key-".Length..], CultureInfo.InvariantCulture)) })]);
            using HttpResponseMessage response = await traffic.Http.PostAsJsonAsync("batch_set", new JsonObject { ["items"] = items });
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }
        }

        return true;
    }
}
