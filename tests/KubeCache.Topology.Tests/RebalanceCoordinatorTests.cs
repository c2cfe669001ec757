using KubeCache.Topology.Tests.Support;

namespace KubeCache.Topology.Tests;

/// <summary>Each branch of one <see cref="RebalanceCoordinator.StepAsync"/>, against a fake environment and clock.</summary>
public sealed class RebalanceCoordinatorTests
{
    private readonly FakeRebalanceEnvironment _environment = new();
    private readonly ManualTimeProvider _time = new();
    private readonly RebalanceOptions _options = new() { HandoffDeadline = TimeSpan.FromMinutes(1) };

    private RebalanceCoordinator NewCoordinator() => new(_environment, "demo", _options, _time);

    private Task<RebalanceProgress> Step(RingMember[] desired) => NewCoordinator().StepAsync(desired, CancellationToken.None);

    private void Publish(long epoch, RingMember[] members, RingGeneration? previous = null) =>
        _environment.Document = new RingDocument { Cluster = "demo", Epoch = epoch, Members = members, Previous = previous };

    [Fact]
    public async Task StepAsync_NoDocument_PublishesEpochOneStable()
    {
        RebalanceProgress progress = await Step(Members.Nodes(3));

        Assert.Equal(RebalancePhase.Stable, progress.Phase);
        Assert.Equal(1, progress.Epoch);
        RingDocument published = Assert.Single(_environment.Published);
        Assert.Equal(1, published.Epoch);
        Assert.Equal("demo", published.Cluster);
        Assert.Equal(Members.Nodes(3), published.Members);
        Assert.Null(published.Previous);
    }

    [Fact]
    public async Task StepAsync_SameMembersInOtherOrder_StableWithoutPublishing()
    {
        Publish(4, Members.Nodes(3));

        RebalanceProgress progress = await Step([.. Members.Nodes(3).Reverse()]);

        Assert.Equal(RebalancePhase.Stable, progress.Phase);
        Assert.Equal(4, progress.Epoch);
        Assert.Empty(_environment.Published);
    }

    [Fact]
    public async Task StepAsync_OnlyAddressesChanged_PublishesNextEpochWithoutHandoff()
    {
        Publish(4, Members.Nodes(3));

        RebalanceProgress progress = await Step(Members.Nodes(3, addressGeneration: 1));

        Assert.Equal(RebalancePhase.Stable, progress.Phase);
        Assert.Equal(5, progress.Epoch);
        RingDocument published = Assert.Single(_environment.Published);
        Assert.Equal(Members.Nodes(3, addressGeneration: 1), published.Members);
        Assert.Null(published.Previous);
        Assert.Empty(_environment.Asked);
    }

    [Fact]
    public async Task StepAsync_MemberAdded_PublishesNextEpochWithPreviousGeneration()
    {
        Publish(4, Members.Nodes(3));

        RebalanceProgress progress = await Step(Members.Nodes(5));

        Assert.Equal(RebalancePhase.Started, progress.Phase);
        Assert.Equal(5, progress.Epoch);
        Assert.Equal(["demo-0", "demo-1", "demo-2"], progress.Pending);
        RingDocument published = Assert.Single(_environment.Published);
        Assert.Equal(Members.Nodes(5), published.Members);
        Assert.NotNull(published.Previous);
        Assert.Equal(4, published.Previous.Epoch);
        Assert.Equal(Members.Nodes(3), published.Previous.Members);
        Assert.Equal(_time.UnixMs, published.Previous.StartedAtUnixMs);
    }

    [Fact]
    public async Task StepAsync_MemberRemoved_KeepsLeavingMemberInPreviousGeneration()
    {
        Publish(2, Members.Nodes(5));

        RebalanceProgress progress = await Step(Members.Nodes(2));

        Assert.Equal(RebalancePhase.Started, progress.Phase);
        RingDocument published = Assert.Single(_environment.Published);
        Assert.Equal(3, published.Epoch);
        Assert.Equal(Members.Nodes(2), published.Members);
        Assert.Equal(Members.Nodes(5), published.Previous!.Members);
    }

    [Fact]
    public async Task StepAsync_DocumentOfAnotherCluster_Throws()
    {
        _environment.Document = new RingDocument { Cluster = "other", Epoch = 1, Members = Members.Nodes(1) };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Step(Members.Nodes(1)));

        Assert.Contains("\"other\"", error.Message, StringComparison.Ordinal);
        Assert.Empty(_environment.Published);
    }

    [Fact]
    public async Task StepAsync_DuplicateDesiredName_ThrowsBeforeReading()
    {
        RingMember[] desired = [Members.Node(0), Members.Node(0, addressGeneration: 1)];

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Step(desired));

        Assert.Equal("desiredMembers", error.ParamName);
        Assert.Empty(_environment.Published);
    }

    [Fact]
    public void Constructor_NonPositiveDurations_ThrowNamingTheSetting()
    {
        var deadline = Assert.Throws<ArgumentOutOfRangeException>(
            () => new RebalanceCoordinator(_environment, "demo", new RebalanceOptions { HandoffDeadline = TimeSpan.Zero }));
        var poll = Assert.Throws<ArgumentOutOfRangeException>(
            () => new RebalanceCoordinator(_environment, "demo", new RebalanceOptions { PollInterval = TimeSpan.FromSeconds(-1) }));

        Assert.Contains("HandoffDeadline", deadline.Message, StringComparison.Ordinal);
        Assert.Contains("PollInterval", poll.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new RebalanceCoordinator(_environment, ""));
    }

    [Fact]
    public void RebalanceOptions_Defaults_TenMinuteDeadlineAndPollEvery200Ms()
    {
        var options = new RebalanceOptions();

        Assert.Equal(TimeSpan.FromMinutes(10), options.HandoffDeadline);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.PollInterval);
    }
}
