using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeCache.EndToEnd.Tests.Cluster;
using KubeCache.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace KubeCache.EndToEnd.Tests.Scaling;

/// <summary>
/// Warm rollouts: a new node image on a 3-node KvCluster under a running reader and writer;
/// the operator replaces every node, each after handing its keys to the others, and none is
/// lost. Keys loaded: <see cref="CacheTraffic.LoadedKeys"/>.
/// Bound: 2 minutes per phase.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class RolloutEndToEndTests(ITestOutputHelper output)
{
    private const string NewImage = "ghcr.io/kubecache/kvcache-node:rollout-test";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    private static int Keys => CacheTraffic.LoadedKeys;

    [Fact]
    public async Task KvCluster_ImageChangeRollout_EveryNodeReplacedWithNoKeyLostAndNoFailedRequest()
    {
        await using KubeCacheHarness harness = await KubeCacheHarness.StartAsync("operator-0");
        try
        {
            await using CacheTraffic traffic = await StartAsync(harness);
            double before = await traffic.HitRatioAsync();
            Dictionary<string, string> oldPods = NodePodUids(harness);

            var clock = Stopwatch.StartNew();
            await ChangeImageAsync(harness);
            await WaitRolledAsync(harness, oldPods, 3);
            TimeSpan took = clock.Elapsed;

            await traffic.StopAsync();
            double after = await traffic.HitRatioAsync();
            List<string> lost = await traffic.FindLostKeysAsync();
            List<JsonObject> events = RolloutEvents(harness);
            output.WriteLine($"rolled 3 nodes in {took.TotalSeconds:F1} s ({took.TotalSeconds / 3:F1} s per node); {Keys} loaded keys, "
                + $"{traffic.Writes} background writes, {traffic.Reads} background reads, {traffic.Failures} failed requests, {lost.Count} keys lost; "
                + $"hit ratio {before:P2} before, {after:P2} after");
            foreach (JsonObject e in RolloutEvents(harness, "RebalanceFinished"))
            {
                output.WriteLine($"{e.Str("eventTime")} {e.Str("reason")}: {e.Str("note")}");
            }

            Assert.True(traffic.Failures == 0, "failed requests:\n" + string.Join('\n', traffic.Errors));
            Assert.True(lost.Count == 0, $"{lost.Count} keys lost, e.g. {string.Join(", ", lost.Take(10))}");
            Assert.True(Math.Abs(before - after) <= 0.01, $"hit ratio {before:P2} before the rollout, {after:P2} after");
            Assert.Equal(["demo-2", "demo-1", "demo-0"], events.Where(e => e.Str("reason") == "NodeReplacing").Select(e => NodeOf(e.Str("note")!)));
            Assert.Equal(3, events.Count(e => e.Str("reason") == "NodeLeaving"));
            Assert.Single(events, e => e.Str("reason") == "RolloutStarted");
            Assert.Single(events, e => e.Str("reason") == "RolloutFinished");
            AssertOneNodeOutAtATime(harness);
            Assert.Empty(harness.Cluster.Faults);
        }
        catch
        {
            output.WriteLine(harness.Describe());
            throw;
        }
    }

    [Fact]
    public async Task KvCluster_OperatorKilledMidRollout_RestartedOperatorResumesAndFinishesWithNoKeyLost()
    {
        await using KubeCacheHarness harness = await KubeCacheHarness.StartAsync("operator-a");
        try
        {
            await using CacheTraffic traffic = await StartAsync(harness);
            Dictionary<string, string> oldPods = NodePodUids(harness);

            // Killed once the first node is out of the ring, in the middle of its replacement.
            await ChangeImageUntilANodeIsOutAsync(harness);
            OperatorProcess first = harness.Operators.Single();
            Assert.True(await first.KillAsync(), "kill -9 of the operator failed");
            output.WriteLine($"killed {first.Identity} with {harness.KvCluster()["status"]!["conditions"]!.ToJsonString()}");
            harness.Operators.Add(OperatorProcess.Start(harness.Server, "operator-b", harness.Cluster.LogDirectory));

            await WaitRolledAsync(harness, oldPods, 3);
            await traffic.StopAsync();
            List<string> lost = await traffic.FindLostKeysAsync();
            output.WriteLine($"{Keys} loaded keys, {traffic.Writes} background writes, {traffic.Failures} failed requests, {lost.Count} keys lost");
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

    /// <summary>The example KvCluster Ready with 3 nodes, <see cref="Keys"/> keys loaded, and a reader and a writer running.</summary>
    private async Task<CacheTraffic> StartAsync(KubeCacheHarness harness)
    {
        await harness.ApplyExampleAsync();
        KvClusterState ready = await harness.WaitReadyAsync(3, 0, DateTimeOffset.MinValue, Bound);
        var traffic = new CacheTraffic(await harness.RouterAsync(Bound));
        await traffic.LoadAsync(Keys);
        traffic.Start();
        output.WriteLine($"Ready with 3 members at epoch {ready.Epoch}; {Keys} keys loaded");
        return traffic;
    }

    private static Task ChangeImageAsync(KubeCacheHarness harness) =>
        harness.KubectlAsync("patch", "kvc/demo", "--type", "merge", "-p", new JsonObject { ["spec"] = new JsonObject { ["image"] = NewImage } }.ToJsonString());

    /// <summary>Changes the image and waits until the rollout has taken its first node out of the ring.</summary>
    private static async Task ChangeImageUntilANodeIsOutAsync(KubeCacheHarness harness)
    {
        DateTimeOffset changedAt = DateTimeOffset.UtcNow;
        await ChangeImageAsync(harness);
        await harness.Observer.WaitForAsync(s => s.Updating == "True" && s.Members == 2, changedAt, Bound, "a node out of the ring for the rollout");
    }

    private static Dictionary<string, string> NodePodUids(KubeCacheHarness harness) =>
        NodePods(harness).ToDictionary(p => p.Name(), p => p.Uid());

    private static List<JsonObject> NodePods(KubeCacheHarness harness) =>
        [.. harness.Server.List("", "pods", KubeCacheHarness.Namespace).Where(p => StatefulSetController.Ordinal(KubeCacheHarness.Name, p.Name()) >= 0)];

    /// <summary>
    /// Waits until every node pod is a new, Ready pod of the StatefulSet's update revision running
    /// the new image, and the KvCluster is Ready with the <paramref name="nodes"/> of them, Updating False.
    /// </summary>
    private static async Task WaitRolledAsync(KubeCacheHarness harness, Dictionary<string, string> oldPods, int nodes)
    {
        await harness.Server.WaitUntilAsync(() =>
        {
            Assert.DoesNotContain(harness.Operators, o => o.Process.HasExited && !o.Killed);
            string? revision = harness.Server.Get("apps", "statefulsets", KubeCacheHarness.Namespace, KubeCacheHarness.Name).Str("status", "updateRevision");
            List<JsonObject> pods = NodePods(harness);
            bool replaced = pods.Count == nodes && pods.All(p => !p.IsTerminating() && p.Uid() != oldPods.GetValueOrDefault(p.Name()) && p.Condition("Ready") == "True"
                && StatefulSetController.RevisionOf(p) == revision && p["spec"]!["containers"]![0].Str("image") == NewImage);
            JsonObject kvc = harness.KvCluster();
            bool settled = kvc.Str("status", "phase") == "Ready" && kvc.Condition("Updating") == "False" && (kvc["status"]?["members"] as JsonArray)?.Count == nodes;
            return replaced && settled ? "" : null;
        }, Bound * 2, $"every node replaced on the new image and the KvCluster Ready with {nodes} members");
    }

    /// <summary>
    /// Highest ordinal first and one node at a time: each old node pod is stopped only after the
    /// previous one's replacement started.
    /// </summary>
    private static void AssertOneNodeOutAtATime(KubeCacheHarness harness)
    {
        List<string> history = [.. harness.Cluster.Kubelet.History];
        List<int> stops = [.. Enumerable.Range(0, history.Count).Where(i => NodeStopped.IsMatch(history[i]))];
        Assert.Equal(["demo-2", "demo-1", "demo-0"], stops.Select(i => NodeStopped.Match(history[i]).Groups[1].Value));
        foreach ((int stop, int next) in stops.Zip(stops.Skip(1)))
        {
            string node = NodeStopped.Match(history[stop]).Groups[1].Value;
            Assert.True(history[(stop + 1)..next].Any(h => h.Contains($" start {node} ", StringComparison.Ordinal)),
                $"{node}'s replacement did not start before the next node stopped:\n{string.Join('\n', history)}");
        }
    }

    private static readonly Regex NodeStopped = new(" stopped (demo-[0-9]+) ", RegexOptions.CultureInvariant);

    /// <summary>The KvCluster's Events of the rollout (and of <paramref name="alsoReason"/>), oldest first.</summary>
    private static List<JsonObject> RolloutEvents(KubeCacheHarness harness, string? alsoReason = null) =>
        [.. harness.Server.List("events.k8s.io", "events", KubeCacheHarness.Namespace)
            .Where(e => e.Str("regarding", "kind") == "KvCluster" && (e.Str("action") == "Rollout" || e.Str("reason") == alsoReason))
            .OrderBy(e => e.Str("eventTime"), StringComparer.Ordinal)];

    /// <summary>The first "demo-N" in <paramref name="text"/>.</summary>
    private static string NodeOf(string text) =>
        Regex.Match(text, "demo-[0-9]+", RegexOptions.CultureInvariant).Value;
}
