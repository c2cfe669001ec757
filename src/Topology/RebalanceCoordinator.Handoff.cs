namespace KubeCache.Topology;

public sealed partial class RebalanceCoordinator
{
    /// <summary>
    /// A rebalance is in progress: ask every node of both generations how far its handoff is
    /// (the previous members hold the keys; every member must have applied the epoch), and
    /// every router which epoch it routes by. Finish when every node is done for this epoch and
    /// every router has applied it, or when the deadline has passed.
    /// </summary>
    private async Task<RebalanceProgress> AdvanceHandoffAsync(RingDocument current, RingGeneration previous, CancellationToken cancellationToken)
    {
        RingMember[] nodes = [.. previous.Members.Concat(current.Members).DistinctBy(m => m.Name)];
        Task<HandoffStatus?>[] requests = [.. nodes.Select(m => _environment.GetHandoffStatusAsync(m, cancellationToken))];
        Task<IReadOnlyList<RouterEpoch>> routerRequest = _environment.GetRouterEpochsAsync(cancellationToken);
        HandoffStatus?[] statuses = await Task.WhenAll(requests).ConfigureAwait(false);
        IReadOnlyList<RouterEpoch> routers = await routerRequest.ConfigureAwait(false);

        var notDone = new List<string>();
        var errors = new List<string>();
        long keysLeft = 0;
        long keysDropped = 0;
        long keysSent = 0;
        for (int i = 0; i < statuses.Length; i++)
        {
            HandoffStatus? status = statuses[i];
            if (status is null || status.Epoch < current.Epoch)
            {
                // Unreachable, or not yet handing off for this epoch.
                notDone.Add(nodes[i].Name);
                continue;
            }

            keysDropped += status.KeysDropped;
            keysSent += status.KeysSent;
            if (status.State != HandoffState.Done)
            {
                notDone.Add(nodes[i].Name);
                keysLeft += status.KeysLeft;
            }

            if (status.LastError is { } error)
            {
                errors.Add($"{nodes[i].Name}: {error}");
            }
        }

        string[] lagging = [.. routers.Where(r => r.Epoch is null || r.Epoch < current.Epoch).Select(r => r.Name)];
        if (notDone.Count == 0 && lagging.Length == 0)
        {
            return await FinishAsync(current, RebalancePhase.Finished, NoNames, 0, (keysSent, keysDropped), cancellationToken).ConfigureAwait(false);
        }

        long elapsedMs = _time.GetUtcNow().ToUnixTimeMilliseconds() - previous.StartedAtUnixMs;
        if (elapsedMs >= (long)_options.HandoffDeadline.TotalMilliseconds)
        {
            return await FinishAsync(current, RebalancePhase.FinishedAfterDeadline, [.. notDone, .. lagging], keysLeft, (keysSent, keysDropped), cancellationToken)
                .ConfigureAwait(false);
        }

        return new RebalanceProgress(RebalancePhase.InProgress, current.Epoch, [.. notDone], NoNames, keysLeft)
        {
            PendingRouters = lagging,
            KeysSent = keysSent,
            KeysDropped = keysDropped,
            Errors = [.. errors],
        };
    }

    /// <summary>Republishes the same epoch without <see cref="RingDocument.Previous"/>: routers stop falling back to the previous owners.</summary>
    private async Task<RebalanceProgress> FinishAsync(
        RingDocument current, RebalancePhase phase, string[] timedOut, long keysNotMoved, (long Sent, long Dropped) keys, CancellationToken cancellationToken)
    {
        var finished = new RingDocument
        {
            Cluster = current.Cluster,
            Epoch = current.Epoch,
            Hash = current.Hash,
            Scheme = current.Scheme,
            Members = current.Members,
        };
        await _environment.PublishRingAsync(finished, cancellationToken).ConfigureAwait(false);
        return new RebalanceProgress(phase, current.Epoch, NoNames, timedOut, keysNotMoved) { KeysSent = keys.Sent, KeysDropped = keys.Dropped };
    }
}
