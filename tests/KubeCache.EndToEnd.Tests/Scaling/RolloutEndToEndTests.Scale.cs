using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;

namespace KubeCache.EndToEnd.Tests.Scaling;

public sealed partial class RolloutEndToEndTests
{
    [Fact]
    public async Task KvCluster_ScaleDuringRollout_WaitsUntilTheRolloutFinishesThenGrows()
    {
        await using KubeCacheHarness harness = await KubeCacheHarness.StartAsync("operator-0");
        try
        {
            await using CacheTraffic traffic = await StartAsync(harness);
            Dictionary<string, string> oldPods = NodePodUids(harness);

            await ChangeImageUntilANodeIsOutAsync(harness);
            await harness.KubectlAsync("scale", "kvc/demo", "--replicas=4");
            JsonObject deferred = await harness.Server.WaitForAsync("kubecache.io", "kvclusters", KubeCacheHarness.Namespace, KubeCacheHarness.Name,
                kvc => kvc["status"]?["conditions"].Objects().Any(c => c.Str("type") == "Updating" && c.Str("message")?.Contains("spec.replicas 4 waits", StringComparison.Ordinal) == true) == true,
                Bound);
            long statefulSetReplicas = harness.Server.Get("apps", "statefulsets", KubeCacheHarness.Namespace, KubeCacheHarness.Name)!.Long("spec", "replicas") ?? 0;
            output.WriteLine($"while the rollout runs: StatefulSet at {statefulSetReplicas}; {deferred["status"]!["conditions"].Objects().Single(c => c.Str("type") == "Updating").Str("message")}");

            await WaitRolledAsync(harness, oldPods, 4);
            await traffic.StopAsync();
            List<string> lost = await traffic.FindLostKeysAsync();
            List<string> history = [.. harness.Cluster.Kubelet.History];
            int lastStop = history.FindLastIndex(h => h.Contains(" stopped demo-0 ", StringComparison.Ordinal));
            int grown = history.FindIndex(h => h.Contains(" start demo-3 ", StringComparison.Ordinal));
            output.WriteLine($"{Keys} loaded keys, {traffic.Writes} background writes, {traffic.Failures} failed requests, {lost.Count} keys lost");

            Assert.Equal(3, statefulSetReplicas);
            Assert.Single(RolloutEvents(harness, "ScaleDeferred"), e => e.Str("reason") == "ScaleDeferred");
            Assert.True(grown > lastStop, $"demo-3 started before the last node was replaced:\n{string.Join('\n', history)}");
            Assert.True(lost.Count == 0, $"{lost.Count} keys lost, e.g. {string.Join(", ", lost.Take(10))}");
            Assert.True(traffic.Failures == 0, "failed requests:\n" + string.Join('\n', traffic.Errors));
            AssertOneNodeOutAtATime(harness);
            Assert.Empty(harness.Cluster.Faults);
        }
        catch
        {
            output.WriteLine(harness.Describe());
            throw;
        }
    }
}
