namespace KubeCache.Topology;

public sealed partial class RebalanceCoordinator
{
    /// <summary>
    /// A rebalance is in progress: ask every member of the previous generation (they hold the
    /// keys) how far its handoff is, and finish when all are done or the deadline has passed.
    /// </summary>
    private async Task<RebalanceProgress> AdvanceHandoffAsync(RingDocument current, RingGeneration previous, CancellationToken cancellationToken)
    {
        Task<HandoffStatus?>[] requests = [.. previous.Members.Select(m => _environment.GetHandoffStatusAsync(m, cancellationToken))];
        HandoffStatus?[] statuses = await Task.WhenAll(requests).ConfigureAwait(false);

        var notDone = new List<string>();
        long keysLeft = 0;
        for (int i = 0; i < statuses.Length; i++)
        {
            HandoffStatus? status = statuses[i];
            if (status is null || status.Epoch < current.Epoch)
            {
                // Unreachable, or not yet handing off for this epoch.
                notDone.Add(previous.Members[i].Name);
            }
            else if (status.State != HandoffState.Done)
            {
                notDone.Add(previous.Members[i].Name);
                keysLeft += status.KeysLeft;
            }
        }

        if (notDone.Count == 0)
        {
            return await FinishAsync(current, RebalancePhase.Finished, NoNames, cancellationToken).ConfigureAwait(false);
        }

        long elapsedMs = _time.GetUtcNow().ToUnixTimeMilliseconds() - previous.StartedAtUnixMs;
        if (elapsedMs >= (long)_options.HandoffDeadline.TotalMilliseconds)
        {
            return await FinishAsync(current, RebalancePhase.FinishedAfterDeadline, [.. notDone], cancellationToken).ConfigureAwait(false);
        }

        return new RebalanceProgress(RebalancePhase.InProgress, current.Epoch, [.. notDone], NoNames, keysLeft);
    }

    /// <summary>Republishes the same epoch without <see cref="RingDocument.Previous"/>: routers stop falling back to the previous owners.</summary>
    private async Task<RebalanceProgress> FinishAsync(
        RingDocument current, RebalancePhase phase, string[] timedOut, CancellationToken cancellationToken)
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
        return new RebalanceProgress(phase, current.Epoch, NoNames, timedOut, 0);
    }
}
