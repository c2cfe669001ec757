using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;

namespace KubeCache.EndToEnd.Tests.Scaling;

public sealed partial class RolloutEndToEndTests
{
    /// <summary>The keys this test loads, whatever KVCACHE_E2E_KEYS says: <see cref="TightMaxMemory"/> is sized for them.</summary>
    private const int TightKeys = 20_000;

    /// <summary>
    /// Each node's budget: <see cref="TightKeys"/> (about 68 bytes each, 3 nodes) fill about three quarters
    /// of it, so a node's keys split over the other two (about 38% more each) do not fit, while over
    /// three others (about 25% more) they do.
    /// </summary>
    private const string TightMaxMemory = "600kb";

    [Fact]
    public async Task KvCluster_RolloutTheOthersCannotHold_RefusedWithInsufficientMemoryUntilAScaleOutMakesRoom()
    {
        await using KubeCacheHarness harness = await KubeCacheHarness.StartAsync("operator-0");
        try
        {
            string manifest = Path.Combine(harness.Cluster.LogDirectory, "kvcluster-tight.yaml");
            string example = await File.ReadAllTextAsync(RepoFiles.Path("examples", "kvcluster.yaml"));
            await File.WriteAllTextAsync(manifest, example.Replace("  replicas: 3\n",
                $"  replicas: 3\n  maxMemory: {TightMaxMemory}\n  maxValueBytes: 1024\n", StringComparison.Ordinal));
            await harness.ApplyClusterAsync(manifest);
            KvClusterState ready = await harness.WaitReadyAsync(3, 0, DateTimeOffset.MinValue, Bound);
            await using var traffic = new CacheTraffic(await harness.RouterAsync(Bound));
            await traffic.LoadAsync(TightKeys);
            Dictionary<string, string> oldPods = NodePodUids(harness);

            DateTimeOffset changedAt = DateTimeOffset.UtcNow;
            await ChangeImageAsync(harness);
            JsonObject refused = await harness.Server.WaitForAsync("kubecache.io", "kvclusters", KubeCacheHarness.Namespace, KubeCacheHarness.Name,
                kvc => kvc["status"]?["conditions"].Objects().Any(c => c.Str("type") == "Updating" && c.Str("reason") == "InsufficientMemory") == true, Bound);
            string message = refused["status"]!["conditions"].Objects().Single(c => c.Str("type") == "Updating").Str("message")!;
            JsonObject warning = RolloutEvents(harness).Single(e => e.Str("reason") == "InsufficientMemory");
            output.WriteLine($"refused: {message}");

            Assert.Equal("Warning", warning.Str("type"));
            Assert.Contains("is not taken out of the ring", warning.Str("note"), StringComparison.Ordinal);
            Assert.Equal(oldPods, NodePodUids(harness));
            Assert.DoesNotContain(harness.Observer.States, s => s.At >= changedAt && s.Members < 3);

            await harness.KubectlAsync("scale", "kvc/demo", "--replicas=4");
            await WaitRolledAsync(harness, oldPods, 4);
            List<string> lost = await traffic.FindLostKeysAsync();
            output.WriteLine($"after a scale to 4 the rollout ran: {TightKeys} loaded keys, {lost.Count} keys lost; ring epoch {ready.Epoch} before, "
                + $"{harness.KvCluster().Long("status", "ringEpoch")} after");
            Assert.True(lost.Count == 0, $"{lost.Count} keys lost, e.g. {string.Join(", ", lost.Take(10))}");
            Assert.Empty(harness.Cluster.Faults);
        }
        catch
        {
            output.WriteLine(harness.Describe());
            throw;
        }
    }
}
