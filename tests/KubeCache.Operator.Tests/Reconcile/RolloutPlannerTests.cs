using k8s.Models;
using KubeCache.Operator.Reconcile;
using KubeCache.Topology;

namespace KubeCache.Operator.Tests.Reconcile;

public class RolloutPlannerTests
{
    private const string Old = "demo-old";
    private const string New = "demo-new";

    private static V1Pod Pod(int ordinal, string revision, bool ready = true, bool terminating = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"demo-{ordinal}",
            Uid = $"uid-{ordinal}-{revision}",
            Labels = new Dictionary<string, string> { [RolloutPlanner.RevisionLabel] = revision },
            DeletionTimestamp = terminating ? DateTime.UtcNow : null,
        },
        Status = new V1PodStatus
        {
            PodIP = $"10.0.0.{ordinal + 1}",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };

    private static Dictionary<string, V1Pod> Pods(params V1Pod[] pods) => pods.ToDictionary(p => p.Metadata.Name!);

    private static RingMember Member(int i) => new($"demo-{i}", $"10.0.0.{i + 1}:7171", $"10.0.0.{i + 1}:6379");

    private static RingDocument Ring(int[] members, int[]? previous = null) => new()
    {
        Cluster = "demo",
        Epoch = 7,
        Members = [.. members.Select(Member)],
        Previous = previous is null ? null : new RingGeneration(6, [.. previous.Select(Member)], 0),
    };

    private static V1StatefulSet Set(string revision, long generation = 2, long observed = 2, int replicas = 3) => new()
    {
        Metadata = new V1ObjectMeta { Name = "demo", Generation = generation },
        Spec = new V1StatefulSetSpec { Replicas = replicas },
        Status = new V1StatefulSetStatus { ObservedGeneration = observed, UpdateRevision = revision },
    };

    [Fact]
    public void Plan_EveryPodOnTheUpdateRevision_IsNone()
    {
        RolloutStep step = RolloutPlanner.Plan("demo", 3, Pods(Pod(0, New), Pod(1, New), Pod(2, New)), Ring([0, 1, 2]), Set(New));

        Assert.Equal(RolloutStep.None, step);
        Assert.Null(step.Leaving);
    }

    [Fact]
    public void Plan_TemplateChangedAndRingSettled_HighestOrdinalHandsOffFirst()
    {
        RolloutStep step = RolloutPlanner.Plan("demo", 3, Pods(Pod(0, Old), Pod(1, Old), Pod(2, Old)), Ring([0, 1, 2]), Set(New));

        Assert.Equal(new RolloutStep(RolloutAction.HandingOff, "demo-2", 3, New), step);
        Assert.Equal("demo-2", step.Leaving);
        IReadOnlyList<RingMember>? desired = RingPlanner.DesiredMembers("demo", 3, Pods(Pod(0, Old), Pod(1, Old), Pod(2, Old)), Ring([0, 1, 2]), out IReadOnlyList<string> waiting, step.Leaving);
        Assert.Equal(["demo-0", "demo-1"], desired!.Select(m => m.Name));
        Assert.Empty(waiting);
    }

    [Fact]
    public void Plan_StatefulSetStatusOfAnOlderGeneration_IsNone()
    {
        Assert.Equal(RolloutStep.None, RolloutPlanner.Plan("demo", 2, Pods(Pod(0, Old), Pod(1, Old)), Ring([0, 1]), Set(New, generation: 3, observed: 2)));
    }

    [Fact]
    public void Plan_NodeOutOfTheRingWhileItsHandoffRuns_KeepsItOut()
    {
        RolloutStep step = RolloutPlanner.Plan("demo", 3, Pods(Pod(0, Old), Pod(1, Old), Pod(2, Old)), Ring([0, 1], previous: [0, 1, 2]), Set(New));

        Assert.Equal(new RolloutStep(RolloutAction.HandingOff, "demo-2", 3, New), step);
    }

    [Fact]
    public void Plan_NodeOutOfTheRingAndHandoffDone_DeletesItsPod()
    {
        RolloutStep step = RolloutPlanner.Plan("demo", 3, Pods(Pod(0, Old), Pod(1, Old), Pod(2, Old)), Ring([0, 1]), Set(New));

        Assert.Equal(new RolloutStep(RolloutAction.DeletingPod, "demo-2", 3, New), step);
        Assert.Equal("demo-2", step.Leaving);
    }

    [Fact]
    public void Plan_ReplacementNotReadyYet_NextNodeWaits()
    {
        var pods = Pods(Pod(0, Old), Pod(1, Old), Pod(2, New, ready: false));
        RolloutStep step = RolloutPlanner.Plan("demo", 3, pods, Ring([0, 1]), Set(New));

        Assert.Equal(new RolloutStep(RolloutAction.Waiting, "demo-1", 2, New), step);
        Assert.Null(step.Leaving);
    }

    [Fact]
    public void Plan_OldPodTerminating_IsNotPickedAgain()
    {
        RolloutStep step = RolloutPlanner.Plan("demo", 3, Pods(Pod(0, Old), Pod(1, Old), Pod(2, Old, ready: false, terminating: true)), Ring([0, 1]), Set(New));

        Assert.Equal(new RolloutStep(RolloutAction.Waiting, "demo-1", 2, New), step);
    }

    [Fact]
    public void Plan_ReplacementRejoining_NextNodeWaitsForTheHandback()
    {
        RolloutStep step = RolloutPlanner.Plan("demo", 3, Pods(Pod(0, Old), Pod(1, Old), Pod(2, New)), Ring([0, 1, 2], previous: [0, 1]), Set(New));

        Assert.Equal(new RolloutStep(RolloutAction.Waiting, "demo-1", 2, New), step);
    }

    [Fact]
    public void Plan_ReplacementRejoined_NextHighestHandsOff()
    {
        RolloutStep step = RolloutPlanner.Plan("demo", 3, Pods(Pod(0, Old), Pod(1, Old), Pod(2, New)), Ring([0, 1, 2]), Set(New));

        Assert.Equal(new RolloutStep(RolloutAction.HandingOff, "demo-1", 2, New), step);
    }

    [Fact]
    public void Plan_TemplateChangedAgainMidRollout_NodeAlreadyOutGoesFirst()
    {
        // demo-1 is out of the ring for revision "demo-new"; the template changes again, so demo-2 is outdated too.
        RolloutStep step = RolloutPlanner.Plan("demo", 3, Pods(Pod(0, Old), Pod(1, Old), Pod(2, New)), Ring([0, 2]), Set("demo-newer"));

        Assert.Equal(new RolloutStep(RolloutAction.DeletingPod, "demo-1", 3, "demo-newer"), step);
    }

    [Fact]
    public void Plan_PodsAboveTheReplicasBeingScaledAway_AreNotReplaced()
    {
        RolloutStep step = RolloutPlanner.Plan("demo", 2, Pods(Pod(0, New), Pod(1, New), Pod(2, Old)), Ring([0, 1], previous: [0, 1, 2]), Set(New));

        Assert.Equal(RolloutStep.None, step);
    }

    [Fact]
    public void Plan_SingleNode_RestartsItCold()
    {
        Assert.Equal(new RolloutStep(RolloutAction.ColdRestart, "demo-0", 1, New), RolloutPlanner.Plan("demo", 1, Pods(Pod(0, Old)), Ring([0]), Set(New)));
        Assert.Null(RolloutPlanner.Plan("demo", 1, Pods(Pod(0, Old)), Ring([0]), Set(New)).Leaving);
    }

    [Fact]
    public void Replicas_SpecChangedWhileANodeIsOutForItsReplacement_KeepsThePresentSizeUntilTheRolloutEnds()
    {
        var pods = Pods(Pod(0, Old), Pod(1, Old), Pod(2, Old));

        Assert.Equal(3, RolloutPlanner.Replicas("demo", 5, pods, Ring([0, 1], previous: [0, 1, 2]), Set(New)));
        Assert.Equal(3, RolloutPlanner.Replicas("demo", 5, pods, Ring([0, 1]), Set(New)));
    }

    [Fact]
    public void Replicas_SpecChangedWhileTheLastReplacementRejoins_KeepsThePresentSize()
    {
        var pods = Pods(Pod(0, Old, ready: false, terminating: true), Pod(1, New), Pod(2, New));

        Assert.Equal(3, RolloutPlanner.Replicas("demo", 4, pods, Ring([1, 2]), Set(New)));
    }

    [Fact]
    public void Replicas_ScaleDownDroppingTheNodeOutForItsReplacement_IsTheSpec()
    {
        // demo-2 is out for its replacement; a scale to 2 removes it anyway.
        Assert.Equal(2, RolloutPlanner.Replicas("demo", 2, Pods(Pod(0, Old), Pod(1, Old), Pod(2, Old)), Ring([0, 1]), Set(New)));
    }

    [Fact]
    public void Replicas_ScaleDownHandingOffWithoutARollout_IsTheSpec()
    {
        var pods = Pods(Pod(0, New), Pod(1, New), Pod(2, New), Pod(3, New));

        Assert.Equal(3, RolloutPlanner.Replicas("demo", 3, pods, Ring([0, 1, 2], previous: [0, 1, 2, 3]), Set(New, replicas: 4)));
    }

    [Fact]
    public void Replicas_SpecChangedBetweenTwoRolloutSteps_KeepsThePresentSize()
    {
        Assert.Equal(3, RolloutPlanner.Replicas("demo", 5, Pods(Pod(0, Old), Pod(1, Old), Pod(2, New)), Ring([0, 1, 2]), Set(New)));
    }

    [Fact]
    public void Replicas_TemplateAndSpecChangedTogether_TheScaleGoesFirstAndTheRolloutWaitsForIt()
    {
        var pods = Pods(Pod(0, Old), Pod(1, Old), Pod(2, Old));

        int replicas = RolloutPlanner.Replicas("demo", 5, pods, Ring([0, 1, 2]), Set(New));

        Assert.Equal(5, replicas);
        Assert.Equal(RolloutAction.Waiting, RolloutPlanner.Plan("demo", replicas, pods, Ring([0, 1, 2]), Set(New)).Action);
    }

    [Fact]
    public void Replicas_ScaleDownHandingOffWhenTheTemplateChanges_IsTheSpec()
    {
        var pods = Pods(Pod(0, Old), Pod(1, Old), Pod(2, Old), Pod(3, Old), Pod(4, Old));

        int replicas = RolloutPlanner.Replicas("demo", 3, pods, Ring([0, 1, 2], previous: [0, 1, 2, 3, 4]), Set(New, replicas: 5));

        Assert.Equal(3, replicas);
        Assert.Equal(RolloutAction.Waiting, RolloutPlanner.Plan("demo", replicas, pods, Ring([0, 1, 2], previous: [0, 1, 2, 3, 4]), Set(New, replicas: 5)).Action);
    }

    [Fact]
    public void Replicas_NoRollout_IsTheSpec()
    {
        Assert.Equal(5, RolloutPlanner.Replicas("demo", 5, Pods(Pod(0, New), Pod(1, New), Pod(2, New)), Ring([0, 1, 2]), Set(New)));
    }

    [Fact]
    public void TakesOut_OnlyAHandOffWhoseNodeIsStillAMember()
    {
        Assert.True(new RolloutStep(RolloutAction.HandingOff, "demo-2", 3, New).TakesOut(Ring([0, 1, 2])));
        Assert.False(new RolloutStep(RolloutAction.HandingOff, "demo-2", 3, New).TakesOut(Ring([0, 1], previous: [0, 1, 2])));
        Assert.False(new RolloutStep(RolloutAction.Waiting, "demo-2", 3, New).TakesOut(Ring([0, 1, 2])));
    }
}
