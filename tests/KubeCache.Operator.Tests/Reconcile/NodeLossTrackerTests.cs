using k8s.Models;
using KubeCache.Operator.Reconcile;

namespace KubeCache.Operator.Tests.Reconcile;

public class NodeLossTrackerTests
{
    private const string Cluster = "default/demo";
    private static readonly DateTimeOffset PolledAt = new(2026, 12, 5, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Observe_FirstSightOfRestartedPods_OnlySetsTheBaseline()
    {
        var tracker = new NodeLossTracker();

        Assert.Empty(tracker.Observe(Cluster, Pods(("demo-0", "a", 3, null))));
        Assert.Empty(tracker.Observe(Cluster, Pods(("demo-0", "a", 3, null))));
    }

    [Fact]
    public void Observe_RestartCountUpOnTheSamePod_ReportsTheLossWithTheKeysOfTheLastPoll()
    {
        var tracker = new NodeLossTracker();
        tracker.Observe(Cluster, Pods(("demo-0", "a", 0, null), ("demo-1", "b", 0, null)));
        tracker.RecordKeys(Cluster, "demo-1", "b", 6712, PolledAt);

        NodeLoss loss = Assert.Single(tracker.Observe(Cluster, Pods(("demo-0", "a", 0, null), ("demo-1", "b", 1, ("OOMKilled", 137)))));

        Assert.Equal(new NodeLoss("demo-1", 1, "OOMKilled", 137, 6712, PolledAt), loss);
        Assert.DoesNotContain(tracker.KeyCounts(), c => c.Node == "demo-1");
        Assert.Empty(tracker.Observe(Cluster, Pods(("demo-0", "a", 0, null), ("demo-1", "b", 1, ("OOMKilled", 137)))));
    }

    [Fact]
    public void Observe_PodReplacedWithANewUid_IsNoLoss()
    {
        var tracker = new NodeLossTracker();
        tracker.Observe(Cluster, Pods(("demo-2", "old", 4, null)));
        tracker.RecordKeys(Cluster, "demo-2", "old", 100, PolledAt);

        Assert.Empty(tracker.Observe(Cluster, Pods(("demo-2", "new", 5, null))));
        tracker.RecordKeys(Cluster, "demo-2", "old", 100, PolledAt);
        Assert.Empty(tracker.KeyCounts());
    }

    [Fact]
    public void Observe_RestartNeverPolled_ReportsUnknownKeysAndReasonUnknownWithoutLastState()
    {
        var tracker = new NodeLossTracker();
        tracker.Observe(Cluster, Pods(("demo-0", "a", 0, null)));

        NodeLoss loss = Assert.Single(tracker.Observe(Cluster, Pods(("demo-0", "a", 2, null))));

        Assert.Equal(new NodeLoss("demo-0", 2, "Unknown", null, null, null), loss);
    }

    private static Dictionary<string, V1Pod> Pods(params (string Name, string Uid, int Restarts, (string Reason, int ExitCode)? Last)[] pods) =>
        pods.ToDictionary(p => p.Name, p => new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = p.Name, Uid = p.Uid },
            Status = new V1PodStatus
            {
                ContainerStatuses =
                [
                    new V1ContainerStatus
                    {
                        Name = "node",
                        RestartCount = p.Restarts,
                        LastState = p.Last is { } last ? new V1ContainerState { Terminated = new V1ContainerStateTerminated { Reason = last.Reason, ExitCode = last.ExitCode } } : null,
                    },
                ],
            },
        });
}
