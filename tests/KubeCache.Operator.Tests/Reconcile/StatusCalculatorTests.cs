using KubeCache.Operator.Reconcile;
using KubeCache.Operator.Resources;
using KubeCache.Operator.Tests.Support;
using KubeCache.Topology;

namespace KubeCache.Operator.Tests.Reconcile;

public class StatusCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static RingDocument Ring(bool rebalancing = false) => new()
    {
        Cluster = "demo",
        Epoch = 2,
        Members = [new RingMember("demo-0", "a:7171", "a:6379")],
        Previous = rebalancing ? new RingGeneration(1, [new RingMember("demo-0", "a:7171", "a:6379"), new RingMember("demo-1", "b:7171", "b:6379")], 0) : null,
    };

    private static ClusterObservation Observe(KvCluster cluster, RingDocument? ring, RebalanceProgress? progress = null, string[]? waiting = null) =>
        new(cluster, ring, progress, waiting ?? [], [], 1, 1);

    [Fact]
    public void Compute_NoRing_IsPending()
    {
        KvClusterStatus status = StatusCalculator.Compute(Observe(TestClusters.Demo(), null, waiting: ["demo-0"]), Now);

        Assert.Equal(KvClusterPhase.Pending, status.Phase);
        Assert.Equal(ConditionStatus.False, status.Conditions!.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public void Compute_RingWithPrevious_IsRebalancing()
    {
        KvClusterStatus status = StatusCalculator.Compute(Observe(TestClusters.Demo(), Ring(rebalancing: true),
            new RebalanceProgress(RebalancePhase.InProgress, 2, ["demo-1"], [], 42)), Now);

        Assert.Equal(KvClusterPhase.Rebalancing, status.Phase);
        Condition rebalancing = status.Conditions!.Single(c => c.Type == "Rebalancing");
        Assert.Equal(("True", "HandoffInProgress"), (rebalancing.Status, rebalancing.Reason));
        Assert.Contains("42 keys left", rebalancing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_RolloutHandingOff_UpdatingSaysWhichNodeAndKeysMoved()
    {
        var progress = new RebalanceProgress(RebalancePhase.InProgress, 2, ["demo-1"], [], 42) { KeysSent = 58 };
        var observation = Observe(TestClusters.Demo(), Ring(rebalancing: true), progress) with
        {
            Rollout = new RolloutStep(RolloutAction.HandingOff, "demo-1", 2, "demo-abc"),
        };

        Condition updating = StatusCalculator.Compute(observation, Now).Conditions!.Single(c => c.Type == "Updating");

        Assert.Equal(("True", "HandingOff"), (updating.Status, updating.Reason));
        Assert.Equal("2 node pods on an older template than revision demo-abc; demo-1 is leaving the ring: 58 keys moved, 42 left.", updating.Message);
    }

    [Fact]
    public void Compute_RolloutRefusedForMemory_UpdatingFalseInsufficientMemoryWithTheFigures()
    {
        var shortfall = new RoomShortfall("demo-2", 300, 150, "demo-1", new NodeBytes(200, 300));
        var observation = Observe(TestClusters.Demo(), Ring()) with
        {
            Rollout = new RolloutStep(RolloutAction.HandingOff, "demo-2", 3, "demo-abc").Refused(shortfall),
        };

        Condition updating = StatusCalculator.Compute(observation, Now).Conditions!.Single(c => c.Type == "Updating");

        Assert.Equal(("False", "InsufficientMemory"), (updating.Status, updating.Reason));
        Assert.Equal("3 node pods on an older template than revision demo-abc; " + shortfall.Describe(), updating.Message);
    }

    [Fact]
    public void Compute_ScaleDeferredByARollout_UpdatingSaysTheReplicasWait()
    {
        var observation = Observe(TestClusters.Demo(), Ring()) with
        {
            Rollout = new RolloutStep(RolloutAction.Waiting, "demo-1", 2, "demo-abc", DeferredReplicas: 5),
        };

        Condition updating = StatusCalculator.Compute(observation, Now).Conditions!.Single(c => c.Type == "Updating");

        Assert.Equal(("True", "WaitingForRing"), (updating.Status, updating.Reason));
        Assert.EndsWith(" spec.replicas 5 waits until the rollout finishes; the ring and the StatefulSet keep their present size until then.", updating.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_NoRollout_UpdatingFalse()
    {
        Condition updating = StatusCalculator.Compute(Observe(TestClusters.Demo(), Ring()), Now).Conditions!.Single(c => c.Type == "Updating");

        Assert.Equal(("False", "UpToDate"), (updating.Status, updating.Reason));
    }

    [Fact]
    public void Compute_HandoffRetryingAndRouterLagging_ConditionSaysWhyAndWhoWithDroppedKeys()
    {
        var progress = new RebalanceProgress(RebalancePhase.InProgress, 2, ["demo-1"], [], 42)
        {
            PendingRouters = ["demo-router-x"],
            KeysDropped = 5,
            Errors = ["demo-1: cannot hand keys to demo-0 at a:6379: node demo-0 refused this process's API key"],
        };

        KvClusterStatus status = StatusCalculator.Compute(Observe(TestClusters.Demo(), Ring(rebalancing: true), progress), Now);

        Condition rebalancing = status.Conditions!.Single(c => c.Type == "Rebalancing");
        Assert.Equal(("True", "HandoffRetrying"), (rebalancing.Status, rebalancing.Reason));
        Assert.Contains("routers not on the epoch yet: demo-router-x", rebalancing.Message, StringComparison.Ordinal);
        Assert.Contains("5 keys dropped", rebalancing.Message, StringComparison.Ordinal);
        Assert.Contains("refused this process's API key", rebalancing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_DeadlinePassed_DegradedCountsTheKeysNotMoved()
    {
        KvClusterStatus status = StatusCalculator.Compute(
            Observe(TestClusters.Demo(), Ring(), new RebalanceProgress(RebalancePhase.FinishedAfterDeadline, 2, [], ["demo-1", "demo-router-x"], 17)), Now);

        Condition degraded = status.Conditions!.Single(c => c.Type == "Degraded");
        Assert.Contains("demo-1, demo-router-x", degraded.Message, StringComparison.Ordinal);
        Assert.Contains("17 keys not moved", degraded.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_DeadlinePassed_IsDegradedUntilTheNextNormalRebalance()
    {
        KvCluster cluster = TestClusters.Demo();
        cluster.Status = StatusCalculator.Compute(Observe(cluster, Ring(), new RebalanceProgress(RebalancePhase.FinishedAfterDeadline, 2, [], ["demo-1"], 0)), Now);
        Assert.Equal(KvClusterPhase.Degraded, cluster.Status.Phase);

        KvClusterStatus later = StatusCalculator.Compute(Observe(cluster, Ring(), new RebalanceProgress(RebalancePhase.Stable, 2, [], [], 0)), Now.AddMinutes(1));
        Assert.Equal(KvClusterPhase.Degraded, later.Phase);

        KvClusterStatus healed = StatusCalculator.Compute(Observe(cluster, Ring(), new RebalanceProgress(RebalancePhase.Finished, 3, [], [], 0)), Now.AddMinutes(2));
        Assert.Equal(KvClusterPhase.Ready, healed.Phase);
    }

    [Fact]
    public void Compute_ConditionUnchanged_KeepsItsLastTransitionTime()
    {
        KvCluster cluster = TestClusters.Demo();
        cluster.Status = StatusCalculator.Compute(Observe(cluster, Ring()), Now);

        KvClusterStatus again = StatusCalculator.Compute(Observe(cluster, Ring()), Now.AddHours(1));
        KvClusterStatus changed = StatusCalculator.Compute(Observe(cluster, Ring(rebalancing: true)), Now.AddHours(2));

        Assert.Equal(Now, again.Conditions!.Single(c => c.Type == "Ready").LastTransitionTime);
        Assert.True(StatusCalculator.Same(cluster.Status, again));
        Assert.Equal(Now.AddHours(2), changed.Conditions!.Single(c => c.Type == "Ready").LastTransitionTime);
        Assert.Equal(Now, changed.Conditions!.Single(c => c.Type == "Degraded").LastTransitionTime);
        Assert.Equal(1, again.ObservedGeneration);
    }
}
