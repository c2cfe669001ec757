using KubeCache.Topology.Tests.Support;

namespace KubeCache.Topology.Tests;

/// <summary>Steps while a rebalance is in progress (<see cref="RingDocument.Previous"/> present): handoff checks, deadline, resume.</summary>
public sealed class RebalanceCoordinatorHandoffTests
{
    private readonly FakeRebalanceEnvironment _environment = new();
    private readonly ManualTimeProvider _time = new();
    private readonly RebalanceOptions _options = new() { HandoffDeadline = TimeSpan.FromMinutes(1) };

    private RebalanceCoordinator NewCoordinator() => new(_environment, "demo", _options, _time);

    private Task<RebalanceProgress> Step(RingMember[] desired) => NewCoordinator().StepAsync(desired, CancellationToken.None);

    private void Publish(long epoch, RingMember[] members, RingGeneration? previous = null) =>
        _environment.Document = new RingDocument { Cluster = "demo", Epoch = epoch, Members = members, Previous = previous };


    [Fact]
    public async Task StepAsync_SomeMembersNotDone_InProgressWithPendingAndKeysLeft()
    {
        Publish(5, Members.Nodes(4), new RingGeneration(4, Members.Nodes(3), _time.UnixMs));
        _environment.ReportDone(5, "demo-0", "demo-3");
        _environment.Report("demo-1", new HandoffStatus(5, HandoffState.Streaming, 100, 40));
        _environment.Report("demo-2", new HandoffStatus(5, HandoffState.Retrying, 7, 2));

        RebalanceProgress progress = await Step(Members.Nodes(4));

        Assert.Equal(RebalancePhase.InProgress, progress.Phase);
        Assert.Equal(5, progress.Epoch);
        Assert.Equal(["demo-1", "demo-2"], progress.Pending);
        Assert.Empty(progress.TimedOut);
        Assert.Equal(42, progress.KeysLeft);
        Assert.Equal(100 + 7 + (2 * 10), progress.KeysSent);
        Assert.Empty(_environment.Published);
    }

    [Fact]
    public async Task StepAsync_DoneForOlderEpoch_StillPending()
    {
        Publish(5, Members.Nodes(3), new RingGeneration(4, Members.Nodes(2), _time.UnixMs));
        _environment.ReportDone(5, "demo-0", "demo-2");
        _environment.Report("demo-1", new HandoffStatus(4, HandoffState.Done, 9, 0));

        RebalanceProgress progress = await Step(Members.Nodes(3));

        Assert.Equal(RebalancePhase.InProgress, progress.Phase);
        Assert.Equal(["demo-1"], progress.Pending);
    }

    [Fact]
    public async Task StepAsync_EveryPreviousMemberDone_RepublishesSameEpochWithoutPrevious()
    {
        Publish(5, Members.Nodes(4), new RingGeneration(4, Members.Nodes(3), _time.UnixMs));
        _environment.ReportDone(5, "demo-0", "demo-1", "demo-3");
        _environment.Report("demo-2", new HandoffStatus(6, HandoffState.Done, 250, 0));

        RebalanceProgress progress = await Step(Members.Nodes(4));

        Assert.Equal(RebalancePhase.Finished, progress.Phase);
        Assert.Equal(5, progress.Epoch);
        Assert.Equal(0, progress.KeysLeft);
        Assert.Equal(250 + (3 * 10), progress.KeysSent);
        Assert.Empty(progress.Pending);
        Assert.Empty(progress.TimedOut);
        RingDocument published = Assert.Single(_environment.Published);
        Assert.Equal(5, published.Epoch);
        Assert.Equal(Members.Nodes(4), published.Members);
        Assert.Null(published.Previous);
    }

    [Fact]
    public async Task StepAsync_RebalanceInProgress_AsksEveryNodeOfBothGenerations()
    {
        Publish(5, Members.Nodes(2), new RingGeneration(4, Members.Nodes(3), _time.UnixMs));

        await Step(Members.Nodes(2));

        Assert.Equal(["demo-0", "demo-1", "demo-2"], _environment.Asked.Order());
    }

    [Fact]
    public async Task StepAsync_JoiningNodeNotOnTheEpoch_StillPending()
    {
        Publish(5, Members.Nodes(4), new RingGeneration(4, Members.Nodes(3), _time.UnixMs));
        _environment.ReportDone(5, "demo-0", "demo-1", "demo-2");
        _environment.Report("demo-3", new HandoffStatus(4, HandoffState.Done, 0, 0));

        RebalanceProgress progress = await Step(Members.Nodes(4));

        Assert.Equal(RebalancePhase.InProgress, progress.Phase);
        Assert.Equal(["demo-3"], progress.Pending);
    }

    [Fact]
    public async Task StepAsync_RouterStillOnThePreviousEpoch_WaitsForItThenFinishes()
    {
        Publish(5, Members.Nodes(3), new RingGeneration(4, Members.Nodes(2), _time.UnixMs));
        _environment.ReportDone(5, "demo-0", "demo-1", "demo-2");
        _environment.Routers.AddRange([new RouterEpoch("router-a", 5), new RouterEpoch("router-b", 4), new RouterEpoch("router-c", null)]);

        RebalanceProgress waiting = await Step(Members.Nodes(3));
        _environment.Routers[1] = new RouterEpoch("router-b", 5);
        _environment.Routers[2] = new RouterEpoch("router-c", 6);
        RebalanceProgress finished = await Step(Members.Nodes(3));

        Assert.Equal(RebalancePhase.InProgress, waiting.Phase);
        Assert.Empty(waiting.Pending);
        Assert.Equal(["router-b", "router-c"], waiting.PendingRouters);
        Assert.Equal(RebalancePhase.Finished, finished.Phase);
        Assert.Null(Assert.Single(_environment.Published).Previous);
    }

    [Fact]
    public async Task StepAsync_RouterLaggingAtTheDeadline_FinishedAfterDeadlineNamingItWithKeysNotMovedCounted()
    {
        Publish(5, Members.Nodes(2), new RingGeneration(4, Members.Nodes(3), _time.UnixMs));
        _environment.ReportDone(5, "demo-0", "demo-1");
        _environment.Report("demo-2", new HandoffStatus(5, HandoffState.Retrying, 10, 30, KeysDropped: 2, LastError: "cannot hand keys to demo-0"));
        _environment.Routers.Add(new RouterEpoch("router-a", 4));

        RebalanceProgress before = await Step(Members.Nodes(2));
        _time.Advance(_options.HandoffDeadline);
        RebalanceProgress after = await Step(Members.Nodes(2));

        Assert.Equal(["demo-2: cannot hand keys to demo-0"], before.Errors);
        Assert.Equal(2, before.KeysDropped);
        Assert.Equal(RebalancePhase.FinishedAfterDeadline, after.Phase);
        Assert.Equal(["demo-2", "router-a"], after.TimedOut);
        Assert.Equal(30, after.KeysLeft);
    }

    [Fact]
    public async Task StepAsync_UnreachableUntilDeadline_InProgressThenFinishedAfterDeadlineNamingThem()
    {
        Publish(5, Members.Nodes(2), new RingGeneration(4, Members.Nodes(3), _time.UnixMs));
        _environment.ReportDone(5, "demo-0");

        _time.Advance(_options.HandoffDeadline - TimeSpan.FromMilliseconds(1));
        RebalanceProgress before = await Step(Members.Nodes(2));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        RebalanceProgress after = await Step(Members.Nodes(2));

        Assert.Equal(RebalancePhase.InProgress, before.Phase);
        Assert.Equal(["demo-1", "demo-2"], before.Pending);
        Assert.Equal(RebalancePhase.FinishedAfterDeadline, after.Phase);
        Assert.Equal(["demo-1", "demo-2"], after.TimedOut);
        RingDocument published = Assert.Single(_environment.Published);
        Assert.Equal(5, published.Epoch);
        Assert.Null(published.Previous);
    }

    [Fact]
    public async Task StepAsync_OtherMembersDesiredDuringRebalance_StartsThemOnlyAfterItFinishes()
    {
        Publish(5, Members.Nodes(4), new RingGeneration(4, Members.Nodes(3), _time.UnixMs));

        RebalanceProgress waiting = await Step(Members.Nodes(6));
        _environment.ReportDone(5, "demo-0", "demo-1", "demo-2", "demo-3");
        RebalanceProgress finished = await Step(Members.Nodes(6));
        RebalanceProgress started = await Step(Members.Nodes(6));

        Assert.Equal(RebalancePhase.InProgress, waiting.Phase);
        Assert.Equal(RebalancePhase.Finished, finished.Phase);
        Assert.Equal(RebalancePhase.Started, started.Phase);
        Assert.Equal([5L, 6L], _environment.Published.Select(d => d.Epoch));
        Assert.Equal(Members.Nodes(6), _environment.Document!.Members);
        Assert.Equal(Members.Nodes(4), _environment.Document.Previous!.Members);
    }

    [Fact]
    public async Task StepAsync_CoordinatorReplacedMidRebalance_NewOneFinishesFromPublishedDocument()
    {
        Publish(1, Members.Nodes(3));
        await NewCoordinator().StepAsync(Members.Nodes(4), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(30));

        // The first coordinator is gone; a fresh one, with no memory of the start, takes over.
        var successor = new RebalanceCoordinator(_environment, "demo", _options, _time);
        RebalanceProgress pending = await successor.StepAsync(Members.Nodes(4), CancellationToken.None);
        _environment.ReportDone(2, "demo-0", "demo-1", "demo-3");
        _time.Advance(TimeSpan.FromSeconds(30));
        RebalanceProgress timedOut = await successor.StepAsync(Members.Nodes(4), CancellationToken.None);

        Assert.Equal(RebalancePhase.InProgress, pending.Phase);
        Assert.Equal(RebalancePhase.FinishedAfterDeadline, timedOut.Phase);
        Assert.Equal(["demo-2"], timedOut.TimedOut);
        Assert.Equal(2, _environment.Document!.Epoch);
        Assert.Null(_environment.Document.Previous);
    }
}
