namespace KubeCache.Topology;

/// <summary>
/// Moves the published ring to a desired membership without losing keys. Each
/// step reconciles from the published document, never from memory, so a new coordinator
/// finishes what a dead one started. Used by the operator and by the router's local mode;
/// all I/O goes through <see cref="IRebalanceEnvironment"/>. Not safe for concurrent steps:
/// run one coordinator per cluster (the operator holds a leader lease).
/// </summary>
public sealed partial class RebalanceCoordinator
{
    private static readonly string[] NoNames = [];

    private readonly IRebalanceEnvironment _environment;
    private readonly string _clusterName;
    private readonly RebalanceOptions _options;
    private readonly TimeProvider _time;

    /// <param name="environment">Where the ring is read and published, nodes are asked for handoff status and routers for their epoch.</param>
    /// <param name="clusterName">The KvCluster's name; the document's <c>cluster</c> must match it.</param>
    /// <param name="options">Deadline and poll interval; defaults when null.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public RebalanceCoordinator(
        IRebalanceEnvironment environment,
        string clusterName,
        RebalanceOptions? options = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentException.ThrowIfNullOrEmpty(clusterName);
        _options = options ?? new RebalanceOptions();
        if (_options.HandoffDeadline <= TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(options), $"HandoffDeadline is {_options.HandoffDeadline}; give a positive duration.");
        }

        if (_options.PollInterval <= TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(options), $"PollInterval is {_options.PollInterval}; give a positive duration.");
        }

        _environment = environment;
        _clusterName = clusterName;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Reads the ring document and takes the one action it calls for: publish the first
    /// epoch, start a rebalance towards <paramref name="desiredMembers"/>, publish new
    /// addresses, or check handoff and finish a rebalance in progress. While a rebalance is in
    /// progress a different desired membership waits until a later step.
    /// </summary>
    /// <exception cref="ArgumentException">The desired members are invalid (see <see cref="Ring(IReadOnlyList{RingMember})"/>).</exception>
    /// <exception cref="RingFormatException">A desired member lacks an address, so the document would be invalid.</exception>
    /// <exception cref="InvalidOperationException">The published document belongs to another cluster.</exception>
    public async Task<RebalanceProgress> StepAsync(IReadOnlyList<RingMember> desiredMembers, CancellationToken cancellationToken) =>
        (await StepCoreAsync(desiredMembers, cancellationToken).ConfigureAwait(false)).Progress;

    /// <summary>
    /// Steps every <see cref="RebalanceOptions.PollInterval"/> until the published members are
    /// <paramref name="desiredMembers"/> with no rebalance in progress, and returns the last
    /// step's progress (Stable, Finished or FinishedAfterDeadline). A rebalance towards other
    /// members that was already in progress is finished first.
    /// </summary>
    public async Task<RebalanceProgress> RunToCompletionAsync(IReadOnlyList<RingMember> desiredMembers, CancellationToken cancellationToken)
    {
        while (true)
        {
            (RebalanceProgress progress, bool reachedDesired) = await StepCoreAsync(desiredMembers, cancellationToken).ConfigureAwait(false);
            if (progress.IsComplete && reachedDesired)
            {
                return progress;
            }

            if (!progress.IsComplete)
            {
                await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(RebalanceProgress Progress, bool ReachedDesired)> StepCoreAsync(
        IReadOnlyList<RingMember> desiredMembers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desiredMembers);
        if (MemberList.FindProblem(desiredMembers) is { } problem)
        {
            ThrowHelper.ThrowArgument(nameof(desiredMembers), $"Invalid desired members: {problem}.");
        }

        RingDocument? current = await _environment.ReadRingAsync(cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            RebalanceProgress first = await PublishAsync(1, desiredMembers, previous: null, RebalancePhase.Stable, cancellationToken).ConfigureAwait(false);
            return (first, true);
        }

        if (current.Cluster != _clusterName)
        {
            ThrowHelper.ThrowClusterMismatch(_clusterName, current.Cluster);
        }

        if (current.Previous is { } previous)
        {
            RebalanceProgress progress = await AdvanceHandoffAsync(current, previous, cancellationToken).ConfigureAwait(false);
            return (progress, MemberList.SameNames(current.Members, desiredMembers));
        }

        return (await ReconcileStableAsync(current, desiredMembers, cancellationToken).ConfigureAwait(false), true);
    }

    /// <summary>No rebalance in progress: start one if the names differ, publish new addresses if only they differ.</summary>
    private async Task<RebalanceProgress> ReconcileStableAsync(
        RingDocument current, IReadOnlyList<RingMember> desiredMembers, CancellationToken cancellationToken)
    {
        if (!MemberList.SameNames(current.Members, desiredMembers))
        {
            var previous = new RingGeneration(current.Epoch, current.Members, _time.GetUtcNow().ToUnixTimeMilliseconds());
            return await PublishAsync(current.Epoch + 1, desiredMembers, previous, RebalancePhase.Started, cancellationToken).ConfigureAwait(false);
        }

        if (!MemberList.SameMembers(current.Members, desiredMembers))
        {
            // Placement depends on names only, so new addresses need no handoff.
            return await PublishAsync(current.Epoch + 1, desiredMembers, previous: null, RebalancePhase.Stable, cancellationToken).ConfigureAwait(false);
        }

        return new RebalanceProgress(RebalancePhase.Stable, current.Epoch, NoNames, NoNames, 0);
    }

    private async Task<RebalanceProgress> PublishAsync(
        long epoch, IReadOnlyList<RingMember> members, RingGeneration? previous, RebalancePhase phase, CancellationToken cancellationToken)
    {
        var document = new RingDocument { Cluster = _clusterName, Epoch = epoch, Members = [.. members], Previous = previous };
        document.Validate();
        await _environment.PublishRingAsync(document, cancellationToken).ConfigureAwait(false);
        string[] pending = previous is null ? NoNames : MemberList.Names(previous.Members);
        return new RebalanceProgress(phase, epoch, pending, NoNames, 0);
    }
}
