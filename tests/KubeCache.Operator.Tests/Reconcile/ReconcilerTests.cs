using System.Text.Json.Nodes;
using KubeCache.Operator.Tests.Support;
using KubeCache.Topology;

namespace KubeCache.Operator.Tests.Reconcile;

/// <summary>The operator in-process against the fake API server, with simulated pods on 127.77.x.y:7171.</summary>
[Collection(OperatorCollection.Name)]
public class ReconcilerTests
{
    [Fact]
    public async Task Reconcile_NewCluster_AppliesObjectsPublishesRingAndReportsReady()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 1);
        await harness.StartOperatorAsync();
        harness.CreateCluster(3);

        JsonObject cluster = await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready");

        string uid = cluster["metadata"]!["uid"]!.GetValue<string>();
        foreach ((string group, string plural, string name) in new[]
        {
            ("apps", "statefulsets", "demo"), ("apps", "deployments", "demo-router"), ("", "services", "demo"), ("", "services", "demo-nodes"),
            ("", "configmaps", "demo-ring"), ("policy", "poddisruptionbudgets", "demo-nodes"), ("", "serviceaccounts", "demo"),
            ("rbac.authorization.k8s.io", "roles", "demo"), ("rbac.authorization.k8s.io", "rolebindings", "demo"),
        })
        {
            JsonObject obj = harness.Server.Get(group, plural, "ns", name) ?? throw new Xunit.Sdk.XunitException($"{plural}/{name} was not applied");
            Assert.Equal(uid, obj["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>());
            Assert.Contains("kvcache-operator", obj["metadata"]!["managedFields"]!.ToJsonString(), StringComparison.Ordinal);
        }

        RingDocument ring = harness.Ring!;
        Assert.Equal(["demo-0", "demo-1", "demo-2"], ring.Members.Select(m => m.Name));
        Assert.Equal($"{harness.Kubelet.PodIp(1)}:7171", ring.Members[1].Http);
        Assert.Equal($"{harness.Kubelet.PodIp(1)}:6379", ring.Members[1].Resp);
        Assert.Null(ring.Previous);

        JsonNode status = cluster["status"]!;
        Assert.Equal(ring.Epoch, status["ringEpoch"].AsNumber());
        Assert.Equal(3L, status["readyReplicas"].AsNumber());
        Assert.Equal(3L, status["replicas"].AsNumber());
        Assert.Equal("app.kubernetes.io/component=node,app.kubernetes.io/instance=demo,app.kubernetes.io/name=kvcache", status["selector"]!.GetValue<string>());
        Assert.Equal(cluster["metadata"]!["generation"].AsNumber(), status["observedGeneration"].AsNumber());
        Assert.Equal("True", OperatorHarness.Condition(cluster, "Ready"));
        Assert.Equal("False", OperatorHarness.Condition(cluster, "Rebalancing"));
        Assert.Equal("False", OperatorHarness.Condition(cluster, "Degraded"));
        Assert.Contains(harness.Events, e => e["reason"]?.GetValue<string>() == "RingPublished"
            && e["reportingController"]?.GetValue<string>() == "kubecache.io/operator");
    }

    [Fact]
    public async Task Reconcile_ScaleUp_GrowsStatefulSetFirstThenPublishesRingWithTheNewPods()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 2);
        await harness.StartOperatorAsync();
        harness.CreateCluster(3);
        await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready");
        long before = harness.Ring!.Epoch;
        var phases = new List<string>();

        harness.Scale(5);
        await harness.Server.WaitUntilAsync(() =>
        {
            // The ring may name a pod only after the StatefulSet grew and the pod is Ready.
            if (harness.Ring is { } ring && ring.Members.Count > 3)
            {
                Assert.True(harness.StatefulSetReplicas >= 5);
                Assert.All(ring.Members, m => Assert.NotNull(harness.Server.Get("", "pods", "ns", m.Name)));
            }

            phases.Add(harness.Cluster is { } c ? OperatorHarness.Phase(c) : "");
            return harness.Cluster is { } cluster && OperatorHarness.Phase(cluster) == "Ready" && harness.Ring!.Members.Count == 5 ? cluster : null;
        }, OperatorHarness.Timeout);

        RingDocument final = harness.Ring!;
        Assert.Equal(["demo-0", "demo-1", "demo-2", "demo-3", "demo-4"], final.Members.Select(m => m.Name));
        Assert.True(final.Epoch > before);
        Assert.Null(final.Previous);
        Assert.Contains("Rebalancing", phases);
        Assert.Equal(5L, harness.Cluster!["status"]!["readyReplicas"].AsNumber());
        Assert.Contains(harness.Events, e => e["reason"]?.GetValue<string>() == "RebalanceStarted");
        Assert.Contains(harness.Events, e => e["reason"]?.GetValue<string>() == "RebalanceFinished");
        Assert.Contains(harness.Events, e => e["reason"]?.GetValue<string>() == "ScalingNodes");
    }

    [Fact]
    public async Task Reconcile_ScaleDown_PublishesRingFirstAndShrinksOnlyAfterHandoffIsDone()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 3);
        await harness.StartOperatorAsync();
        harness.CreateCluster(5);
        await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready" && c["status"]?["members"]?.AsArray().Count == 5);
        harness.Kubelet.HandoffState = "streaming";

        harness.Scale(2);
        RingDocument moving = await harness.WaitForRingAsync(r => r.Members.Count == 2);
        Assert.NotNull(moving.Previous);
        Assert.Equal(5, moving.Previous!.Members.Count);
        JsonObject rebalancing = await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Rebalancing");
        Assert.Equal("True", OperatorHarness.Condition(rebalancing, "Rebalancing"));
        // Several polls of the handoff later, the leaving pods are still there.
        await harness.Server.WaitUntilAsync(
            () => harness.Events.Count(e => e["reason"]?.GetValue<string>() == "RebalanceStarted") > 0 ? "" : null, OperatorHarness.Timeout);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(5L, harness.StatefulSetReplicas);
        Assert.NotNull(harness.Ring!.Previous);

        harness.Kubelet.HandoffState = "done";
        await harness.Server.WaitUntilAsync(() => harness.StatefulSetReplicas == 2 ? "" : null, OperatorHarness.Timeout, "StatefulSet at 2");
        Assert.Null(harness.Ring!.Previous);
        JsonObject ready = await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready" && c["status"]?["replicas"].AsNumber() == 2);
        Assert.Equal(["demo-0", "demo-1"], ready["status"]!["members"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public async Task Reconcile_RouterBehindTheNewEpoch_RebalanceFinishesOnlyOnceItAppliesIt()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 11);
        await harness.StartOperatorAsync();
        await harness.Kubelet.StartRouterAsync();
        harness.CreateCluster(3);
        RingDocument first = await harness.WaitForRingAsync(r => r.Members.Count == 3);
        harness.Kubelet.RouterEpoch = first.Epoch;
        await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready");

        harness.Scale(2);
        RingDocument moving = await harness.WaitForRingAsync(r => r.Members.Count == 2 && r.Previous is not null);
        JsonObject waiting = await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Rebalancing"
            && c["status"]!["conditions"]!.AsArray().Any(x => x!["message"]!.GetValue<string>().Contains("demo-router", StringComparison.Ordinal)));
        // Every node reports done, yet the rebalance holds while the router routes by the old ring.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.NotNull(harness.Ring!.Previous);
        Assert.Equal(3L, harness.StatefulSetReplicas);

        harness.Kubelet.RouterEpoch = moving.Epoch;
        await harness.Server.WaitUntilAsync(() => harness.StatefulSetReplicas == 2 ? "" : null, OperatorHarness.Timeout, "StatefulSet at 2");
        Assert.Null(harness.Ring!.Previous);
        Assert.Equal("Rebalancing", OperatorHarness.Phase(waiting));
    }

    [Fact]
    public async Task Reconcile_HandoffPastDeadline_FinishesDegradedWithWarningEvent()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 4);
        await harness.StartOperatorAsync(handoffDeadline: TimeSpan.FromSeconds(2));
        harness.CreateCluster(3);
        await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready");
        harness.Kubelet.HandoffState = "streaming";

        harness.Scale(2);
        JsonObject degraded = await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Degraded");

        Assert.Equal("True", OperatorHarness.Condition(degraded, "Degraded"));
        Assert.Null(harness.Ring!.Previous);
        Assert.Equal(2, harness.Ring.Members.Count);
        JsonObject warning = harness.Events.Single(e => e["reason"]?.GetValue<string>() == "HandoffDeadlineExceeded");
        Assert.Equal("Warning", warning["type"]!.GetValue<string>());
        await harness.Server.WaitUntilAsync(() => harness.StatefulSetReplicas == 2 ? "" : null, OperatorHarness.Timeout, "StatefulSet at 2");
    }

    [Fact]
    public async Task Reconcile_PodDisruptionBudgetDisabled_DeletesIt()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 5);
        await harness.StartOperatorAsync();
        harness.CreateCluster(1);
        await harness.Server.WaitForAsync("policy", "poddisruptionbudgets", "ns", "demo-nodes", _ => true, OperatorHarness.Timeout);
        await harness.Server.WaitForAsync("policy", "poddisruptionbudgets", "ns", "demo-router", _ => true, OperatorHarness.Timeout);

        JsonObject cluster = harness.Cluster!;
        cluster["spec"]!["podDisruptionBudget"] = new JsonObject { ["enabled"] = false };
        cluster["metadata"]!.AsObject().Remove("resourceVersion");
        harness.Server.Update(cluster);

        await harness.Server.WaitUntilAsync(
            () => harness.Server.List("policy", "poddisruptionbudgets", "ns").Count == 0 ? "" : null, OperatorHarness.Timeout, "both PDBs deleted");
    }

    [Fact]
    public async Task Reconcile_AuthSecret_SendsTheFirstKeyToNodes()
    {
        await using OperatorHarness harness = await OperatorHarness.StartAsync(subnet: 6);
        harness.Server.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "keys", ["namespace"] = "ns" },
            ["data"] = new JsonObject { ["keys"] = Convert.ToBase64String("# rotated\nsecret-one\nsecret-two\n"u8.ToArray()) },
        });
        await harness.StartOperatorAsync();
        harness.CreateCluster(2, new JsonObject { ["auth"] = new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "keys" } } });
        await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready");

        harness.Scale(3);
        await harness.WaitForClusterAsync(c => OperatorHarness.Phase(c) == "Ready" && c["status"]?["members"]?.AsArray().Count == 3);

        Assert.Contains("Bearer secret-one", harness.Kubelet.Authorizations);
        Assert.DoesNotContain(harness.Server.List("", "configmaps", "ns"), m => m.ToJsonString().Contains("secret-one", StringComparison.Ordinal));
    }
}
