using KubeCache.Topology.Tests.Support;

namespace KubeCache.Topology.Tests;

/// <summary>Whole rebalances through <see cref="RebalanceCoordinator.RunToCompletionAsync"/>; the fake clock turns each poll wait into elapsed time.</summary>
public sealed class RebalanceCoordinatorRunTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    private readonly FakeRebalanceEnvironment _environment = new();
    private readonly ManualTimeProvider _time = new();
    private readonly DateTimeOffset _start;
    private readonly RebalanceOptions _options = new() { HandoffDeadline = TimeSpan.FromMinutes(1), PollInterval = TimeSpan.FromSeconds(1) };

    public RebalanceCoordinatorRunTests()
    {
        _start = _time.GetUtcNow();
    }

    private TimeSpan Elapsed => _time.GetUtcNow() - _start;

    private Task<RebalanceProgress> Run(RingMember[] desired, CancellationToken cancellationToken = default) =>
        new RebalanceCoordinator(_environment, "demo", _options, _time).RunToCompletionAsync(desired, cancellationToken).WaitAsync(TestTimeout);

    private void Publish(long epoch, RingMember[] members) =>
        _environment.Document = new RingDocument { Cluster = "demo", Epoch = epoch, Members = members };

    /// <summary>Makes every member report done for the current epoch once it has been asked <paramref name="polls"/> times.</summary>
    private void DoneAfterPolls(int polls)
    {
        var asked = new Dictionary<string, int>();
        _environment.OnStatusRequest = member =>
        {
            lock (asked)
            {
                asked[member.Name] = asked.GetValueOrDefault(member.Name) + 1;
                long epoch = _environment.Document!.Epoch;
                _environment.Report(member.Name, asked[member.Name] >= polls
                    ? new HandoffStatus(epoch, HandoffState.Done, 100, 0)
                    : new HandoffStatus(epoch, HandoffState.Streaming, 50, 50));
            }
        };
    }

    [Fact]
    public async Task RunToCompletionAsync_AlreadyStable_ReturnsWithoutWaiting()
    {
        Publish(3, Members.Nodes(3));

        RebalanceProgress progress = await Run(Members.Nodes(3));

        Assert.Equal(RebalancePhase.Stable, progress.Phase);
        Assert.Equal(TimeSpan.Zero, Elapsed);
    }

    [Fact]
    public async Task RunToCompletionAsync_ScaleUp_PollsUntilEveryHolderIsDone()
    {
        Publish(1, Members.Nodes(3));
        DoneAfterPolls(3);

        RebalanceProgress progress = await Run(Members.Nodes(5));

        Assert.Equal(RebalancePhase.Finished, progress.Phase);
        Assert.Equal(2, progress.Epoch);
        Assert.Collection(
            _environment.Published,
            started => Assert.Equal((2L, 3), (started.Epoch, started.Previous!.Members.Count)),
            finished => Assert.Equal((2L, (RingGeneration?)null), (finished.Epoch, finished.Previous)));
        Assert.Equal(Members.Nodes(5), _environment.Document!.Members);
        // Waits after the start and after the first two polls; the third poll finds all done.
        Assert.Equal(3 * _options.PollInterval, Elapsed);
    }

    [Fact]
    public async Task RunToCompletionAsync_ScaleDown_WaitsForLeavingMembersToo()
    {
        Publish(4, Members.Nodes(5));
        DoneAfterPolls(2);

        RebalanceProgress progress = await Run(Members.Nodes(2));

        Assert.Equal(RebalancePhase.Finished, progress.Phase);
        Assert.Equal(Members.Nodes(2), _environment.Document!.Members);
        Assert.Null(_environment.Document.Previous);
        Assert.Contains("demo-4", _environment.Asked);
    }

    [Fact]
    public async Task RunToCompletionAsync_MemberNeverAnswers_FinishesAfterDeadlineNamingIt()
    {
        Publish(1, Members.Nodes(3));
        _environment.ReportDone(2, "demo-0", "demo-1", "demo-3");

        RebalanceProgress progress = await Run(Members.Nodes(4));

        Assert.Equal(RebalancePhase.FinishedAfterDeadline, progress.Phase);
        Assert.Equal(["demo-2"], progress.TimedOut);
        Assert.Equal(_options.HandoffDeadline, Elapsed);
        Assert.Null(_environment.Document!.Previous);
    }

    [Fact]
    public async Task RunToCompletionAsync_RebalanceToOtherMembersInProgress_FinishesItThenReachesDesired()
    {
        _environment.Document = new RingDocument
        {
            Cluster = "demo",
            Epoch = 2,
            Members = Members.Nodes(4),
            Previous = new RingGeneration(1, Members.Nodes(3), _time.UnixMs),
        };
        DoneAfterPolls(1);

        RebalanceProgress progress = await Run(Members.Nodes(6));

        Assert.Equal(RebalancePhase.Finished, progress.Phase);
        Assert.Equal(3, progress.Epoch);
        Assert.Equal([2L, 3L, 3L], _environment.Published.Select(d => d.Epoch));
        Assert.Equal(Members.Nodes(6), _environment.Document!.Members);
    }

    [Fact]
    public async Task RunToCompletionAsync_Cancelled_StopsPolling()
    {
        Publish(1, Members.Nodes(3));
        using var cancellation = new CancellationTokenSource();
        _environment.OnStatusRequest = _ => cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Run(Members.Nodes(4), cancellation.Token));

        Assert.NotNull(_environment.Document!.Previous);
    }
}
