using k8s.Models;
using KubeCache.Kubernetes;
using KubeCache.Operator.Controller;
using KubeCache.Operator.Resources;
using KubeCache.Topology;

namespace KubeCache.Operator.Reconcile;

public sealed partial class ClusterReconciler
{
    /// <summary>Events for what the coordinator's step did: the first ring, a rebalance started or finished (on time or not).</summary>
    private async Task ReportStepAsync(KvCluster cluster, RingDocument? before, RingDocument? after, RebalanceProgress progress, CancellationToken cancellationToken)
    {
        (string Type, string Reason, string Note)? report = progress.Phase switch
        {
            RebalancePhase.Stable when before is null && after is not null =>
                (EventRecorder.Normal, "RingPublished", $"Published ring epoch {after.Epoch} with {Names(after.Members)}."),
            RebalancePhase.Started when after?.Previous is { } previous =>
                (EventRecorder.Normal, "RebalanceStarted",
                    $"Published ring epoch {after.Epoch} with {Names(after.Members)} (was {Names(previous.Members)}); keys move to their new owners."),
            RebalancePhase.Finished =>
                (EventRecorder.Normal, "RebalanceFinished",
                    $"Every node handed off its keys ({progress.KeysSent} moved) and every router applied ring epoch {progress.Epoch}, which is final{Dropped(progress)}."),
            RebalancePhase.FinishedAfterDeadline =>
                (EventRecorder.Warning, StatusCalculator.HandoffDeadlineExceeded,
                    $"The handoff deadline ({_settings.HandoffDeadline.TotalSeconds:0} s) passed before {string.Join(", ", progress.TimedOut)} finished; ring epoch {progress.Epoch} is final and {progress.KeysLeft} keys not moved are lost{Dropped(progress)}."),
            _ => null,
        };
        if (report is { } r)
        {
            await _events.RecordAsync(cluster, r.Type, r.Reason, "Rebalance", r.Note, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the status by server-side apply on /status, unless it says what the KvCluster already says.</summary>
    private async Task<KvClusterStatus> WriteStatusAsync(KvCluster cluster, ClusterObservation observation, CancellationToken cancellationToken)
    {
        KvClusterStatus status = StatusCalculator.Compute(observation, _settings.Time.GetUtcNow());
        if (StatusCalculator.Same(cluster.Status, status))
        {
            return status;
        }

        await ApplyStatusAsync(cluster, status, cancellationToken).ConfigureAwait(false);
        return status;
    }

    private async Task ApplyStatusAsync(KvCluster cluster, KvClusterStatus status, CancellationToken cancellationToken)
    {
        var body = new KvCluster
        {
            Metadata = new V1ObjectMeta { Name = cluster.Metadata.Name, NamespaceProperty = cluster.Metadata.NamespaceProperty },
            Status = status,
        };
        // The apply body carries only status; spec is another manager's (the user's).
        body.Spec = null!;
        await _client.ApplyAsync(OperatorResources.KvClusters, body, OperatorResources.StatusFieldManager, status: true, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Records a failed reconcile of <paramref name="key"/> in its status (Ready False, reason
    /// ReconcileFailed, the API's message), so it is seen where the cluster's health is read.
    /// </summary>
    public async Task RecordFailureAsync(string key, Exception error, CancellationToken cancellationToken)
    {
        string[] parts = key.Split('/', 2);
        if (parts.Length != 2 || _sources.Clusters.Get(parts[0], parts[1]) is not { Metadata.DeletionTimestamp: null } cluster)
        {
            return;
        }

        KvClusterStatus status = StatusCalculator.Failed(cluster, StatusCalculator.ReconcileFailed, ApiErrors.StatusOf(error)?.Message ?? error.Message, _settings.Time.GetUtcNow());
        if (!StatusCalculator.Same(cluster.Status, status))
        {
            await ApplyStatusAsync(cluster, status, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Refuses a spec that cannot run: Ready False (reason InvalidSpec, what to fix) and a Warning
    /// event when that message is new. Nothing else is applied, so running pods keep their last
    /// good settings until the spec is fixed.
    /// </summary>
    private async Task RejectAsync(KvCluster cluster, string problem, CancellationToken cancellationToken)
    {
        bool known = cluster.Status?.Conditions?.Any(c => c.Type == KvClusterConditionType.Ready && c.Reason == StatusCalculator.InvalidSpec && c.Message == problem) == true;
        KvClusterStatus status = StatusCalculator.Failed(cluster, StatusCalculator.InvalidSpec, problem, _settings.Time.GetUtcNow());
        if (!StatusCalculator.Same(cluster.Status, status))
        {
            await ApplyStatusAsync(cluster, status, cancellationToken).ConfigureAwait(false);
        }

        if (!known)
        {
            await _events.RecordAsync(cluster, EventRecorder.Warning, StatusCalculator.InvalidSpec, "Validate", problem, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Dropped(RebalanceProgress progress) =>
        progress.KeysDropped > 0 ? $"; {progress.KeysDropped} keys were dropped because their new owner had no room" : "";

    private static string Names(IEnumerable<RingMember> members) => string.Join(", ", members.Select(m => m.Name));
}
