using System.Text.Json.Nodes;
using KubeCache.Operator.Hosting;
using KubeCache.Operator.Tests.Support;

namespace KubeCache.Operator.Tests.Reconcile;

[Collection(OperatorCollection.Name)]
public class LeadershipTests
{
    [Fact]
    public async Task LeaderElection_TwoOperators_OnlyTheHolderReconcilesAndTheOtherFinishesAfterItStops()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 7);
        OperatorServer first = await harness.StartOperatorAsync("operator-a");
        await harness.Server.WaitUntilAsync(() => first.Service.IsLeader ? "" : null, OperatorHarness.Timeout, "operator-a leading");
        OperatorServer second = await harness.StartOperatorAsync("operator-b");
        harness.CreateCluster(3);
        await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready");

        Assert.False(second.Service.IsLeader);
        Assert.All(harness.Events, e => Assert.Equal("operator-a", e["reportingInstance"]!.GetValue<string>()));

        // A scale-down whose handoff cannot finish while operator-a leads.
        harness.Kubelet.HandoffState = "streaming";
        harness.Scale(2);
        await harness.WaitForRingAsync(r => r.Previous is not null);
        await first.StopAsync();
        harness.Kubelet.HandoffState = "done";

        await harness.Server.WaitUntilAsync(() => second.Service.IsLeader ? "" : null, OperatorHarness.Timeout, "operator-b leading");
        await harness.Server.WaitUntilAsync(() => harness.StatefulSetReplicas == 2 ? "" : null, OperatorHarness.Timeout, "StatefulSet at 2");
        Assert.Null(harness.Ring!.Previous);
        Assert.Contains(harness.Events, e => e["reason"]?.GetValue<string>() == "RebalanceFinished" && e["reportingInstance"]?.GetValue<string>() == "operator-b");
        Assert.DoesNotContain(harness.Events, e => e["reason"]?.GetValue<string>() == "RebalanceFinished" && e["reportingInstance"]?.GetValue<string>() == "operator-a");
        JsonObject lease = harness.Server.Get("coordination.k8s.io", "leases", "default", "kvcache-operator-leader")!;
        Assert.Equal("operator-b", lease["spec"]!["holderIdentity"]!.GetValue<string>());
    }

    [Fact]
    public async Task StopAsync_Leader_ReleasesTheLease()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 8);
        OperatorServer op = await harness.StartOperatorAsync("operator-a");
        await harness.Server.WaitUntilAsync(() => op.Service.IsLeader ? "" : null, OperatorHarness.Timeout, "leading");

        await op.StopAsync();

        JsonObject lease = harness.Server.Get("coordination.k8s.io", "leases", "default", "kvcache-operator-leader")!;
        Assert.True(string.IsNullOrEmpty(lease["spec"]!["holderIdentity"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Informers_WatchesDroppedAndHistoryCompacted_RelistAndStillReconcile()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 9);
        await harness.StartOperatorAsync();
        harness.CreateCluster(2);
        await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready");

        harness.Server.CompactHistory();
        harness.Server.DropWatches();
        harness.Scale(3);

        await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready" && c["status"]?["members"]?.AsArray().Count == 3);
    }

    [Fact]
    public async Task Http_Endpoints_ServeHealthReadinessAndOperatorMetrics()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 10);
        OperatorServer op = await harness.StartOperatorAsync();
        harness.CreateCluster(1);
        await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready");
        using var http = new HttpClient { BaseAddress = op.HttpAddress };

        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("kvcache_operator_leader 1", metrics, StringComparison.Ordinal);
        Assert.Contains("kvcache_operator_ring_epoch{kvcluster=\"ns/demo\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("kvcache_operator_reconciles_total{result=\"success\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("kvcache_operator_reconcile_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("kvcache_operator_rebalance_keys_left{kvcluster=\"ns/demo\"} 0", metrics, StringComparison.Ordinal);
    }
}
