using k8s.Models;
using KubeCache.Operator.Reconcile;
using KubeCache.Topology;

namespace KubeCache.Operator.Tests.Reconcile;

public class RingPlannerTests
{
    private static V1Pod Pod(int ordinal, bool ready = true) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"demo-{ordinal}" },
        Status = new V1PodStatus
        {
            PodIP = $"10.0.0.{ordinal + 1}",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };

    private static Dictionary<string, V1Pod> Pods(params V1Pod[] pods) => pods.ToDictionary(p => p.Metadata.Name!);

    private static RingDocument Ring(int count, int previousCount = 0) => new()
    {
        Cluster = "demo",
        Epoch = 4,
        Members = [.. Enumerable.Range(0, count).Select(i => new RingMember($"demo-{i}", $"10.0.0.{i + 1}:7171", $"10.0.0.{i + 1}:6379"))],
        Previous = previousCount == 0 ? null
            : new RingGeneration(3, [.. Enumerable.Range(0, previousCount).Select(i => new RingMember($"demo-{i}", $"10.0.0.{i + 1}:7171", $"10.0.0.{i + 1}:6379"))], 0),
    };

    [Fact]
    public void DesiredMembers_AllPodsReady_AreTheOrdinalsWithPodAddresses()
    {
        IReadOnlyList<RingMember>? members = RingPlanner.DesiredMembers("demo", 2, Pods(Pod(0), Pod(1), Pod(2)), null, out IReadOnlyList<string> waiting);

        Assert.Equal([new RingMember("demo-0", "10.0.0.1:7171", "10.0.0.1:6379"), new RingMember("demo-1", "10.0.0.2:7171", "10.0.0.2:6379")], members);
        Assert.Empty(waiting);
    }

    [Fact]
    public void DesiredMembers_FirstPodsNotReadyAndNothingPublished_IsNull()
    {
        Assert.Null(RingPlanner.DesiredMembers("demo", 3, Pods(Pod(0), Pod(1, ready: false)), null, out IReadOnlyList<string> waiting));
        Assert.Equal(["demo-1", "demo-2"], waiting);
    }

    [Fact]
    public void DesiredMembers_NewPodsNotReady_KeepsThePublishedMembers()
    {
        IReadOnlyList<RingMember>? members = RingPlanner.DesiredMembers("demo", 5, Pods(Pod(0), Pod(1), Pod(2), Pod(3)), Ring(3), out IReadOnlyList<string> waiting);

        Assert.Equal(["demo-0", "demo-1", "demo-2"], members!.Select(m => m.Name));
        Assert.Equal(["demo-4"], waiting);
    }

    [Fact]
    public void DesiredMembers_MemberPodTerminating_LeavesTheRingAndIsNotAwaited()
    {
        V1Pod deleted = Pod(1);
        deleted.Metadata.DeletionTimestamp = DateTime.UtcNow;

        IReadOnlyList<RingMember>? members = RingPlanner.DesiredMembers("demo", 3, Pods(Pod(0), deleted, Pod(2)), Ring(3), out IReadOnlyList<string> waiting);

        Assert.Equal(["demo-0", "demo-2"], members!.Select(m => m.Name));
        Assert.Empty(waiting);
    }

    [Fact]
    public void DesiredMembers_OnlyMemberTerminating_IsNull()
    {
        V1Pod deleted = Pod(0);
        deleted.Metadata.DeletionTimestamp = DateTime.UtcNow;

        Assert.Null(RingPlanner.DesiredMembers("demo", 1, Pods(deleted), Ring(1), out _));
    }

    [Fact]
    public void DesiredMembers_MemberPodRestarting_KeepsItsPublishedAddress()
    {
        IReadOnlyList<RingMember>? members = RingPlanner.DesiredMembers("demo", 2, Pods(Pod(0), Pod(1, ready: false)), Ring(2), out _);

        Assert.Equal(Ring(2).Members, members);
    }

    [Theory]
    [InlineData(5, 0, 0, 5)] // nothing published: the spec
    [InlineData(5, 3, 0, 5)] // scale up: grow first
    [InlineData(2, 5, 0, 5)] // scale down before the ring changed: keep members
    [InlineData(2, 2, 5, 5)] // handoff in progress: keep the leaving pods
    [InlineData(2, 2, 0, 2)] // handoff done: shrink
    public void StatefulSetReplicas_RingState_NeverDropsAPodThatHoldsKeys(int replicas, int members, int previous, int expected)
    {
        RingDocument? ring = members == 0 ? null : Ring(members, previous);

        Assert.Equal(expected, RingPlanner.StatefulSetReplicas("demo", replicas, ring));
    }

    [Theory]
    [InlineData("demo-0", 0)]
    [InlineData("demo-12", 12)]
    [InlineData("demo-router-1", -1)]
    [InlineData("other-1", -1)]
    public void OrdinalOf_PodName_ParsesOnlyThisClustersStatefulSetPods(string name, int expected)
    {
        Assert.Equal(expected, RingPlanner.OrdinalOf("demo", name));
    }
}
