using k8s.Autorest;
using KubeCache.Kubernetes;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Reconcile;

public sealed partial class ClusterReconciler
{
    /// <summary>
    /// Applies the monitor of <paramref name="kind"/> the spec asks for (<paramref name="monitor"/>),
    /// or deletes one it no longer asks for, last: without the Prometheus Operator's CRDs (404) or
    /// the chart's grant (403) it cannot be, and that must not hold back the cache. Returns null
    /// when none is asked for; otherwise whether it was applied, reported as the kind's condition,
    /// with a Warning event when its failure is new.
    /// </summary>
    private async Task<MonitorOutcome?> ApplyMonitorAsync<T>(KvCluster cluster, MonitorKind kind, T? monitor, CancellationToken cancellationToken)
        where T : CustomObject
    {
        if (monitor is null)
        {
            if (Applied(cluster, kind))
            {
                await DeleteMonitorAsync(cluster, kind, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }

        try
        {
            await ApplyAsync(kind.Resource, monitor, cancellationToken).ConfigureAwait(false);
            return new MonitorOutcome(kind, null);
        }
        catch (HttpOperationException e) when (ApiErrors.StatusCodeOf(e) is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound)
        {
            string failure = ApiErrors.StatusCodeOf(e) == System.Net.HttpStatusCode.NotFound
                ? $"The {kind.Kind} kind is not served (404): install the Prometheus Operator's CRDs, or turn {kind.SpecField} off."
                : $"The operator may not apply {kind.Kind}s (403: {ApiErrors.StatusOf(e)?.Message ?? e.Message}); install the chart with its {kind.Kind} grant, or turn {kind.SpecField} off.";
            bool known = cluster.Status?.Conditions?.Any(c => c.Type == kind.ConditionType && c.Status == ConditionStatus.False && c.Message == failure) == true;
            if (!known)
            {
                await _events.RecordAsync(cluster, EventRecorder.Warning, kind.FailedReason, "Apply", failure, cancellationToken).ConfigureAwait(false);
            }

            return new MonitorOutcome(kind, failure);
        }
    }

    /// <summary>
    /// Whether this operator applied the cluster's monitor of <paramref name="kind"/>: the status
    /// it last wrote says the kind's condition is True. Only then is there one of ours to delete,
    /// so a cluster that never asked for one costs no call of a kind the chart grants only when
    /// monitoring is wanted.
    /// </summary>
    private static bool Applied(KvCluster cluster, MonitorKind kind) =>
        cluster.Status?.Conditions?.Any(c => c.Type == kind.ConditionType && c.Status == ConditionStatus.True) == true;

    /// <summary>
    /// Deletes the monitor this operator applied and the spec no longer asks for. Gone already
    /// (404) is done. Refused (403: the grant went with the spec's monitoring) is a Warning event:
    /// the status written next drops the kind's condition, so it is not tried again, and the owner
    /// reference still lets the garbage collector remove it with the cluster.
    /// </summary>
    private async Task DeleteMonitorAsync(KvCluster cluster, MonitorKind kind, CancellationToken cancellationToken)
    {
        string name = kind.ObjectName(ObjectMetadata.NameOf(cluster));
        try
        {
            await _client.DeleteAsync(kind.Resource, ObjectMetadata.NamespaceOf(cluster), name, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (ApiErrors.StatusCodeOf(e) == System.Net.HttpStatusCode.Forbidden)
        {
            string note = $"The operator may not delete {kind.Kind} {name}, which {kind.SpecField} no longer asks for "
                + $"(403: {ApiErrors.StatusOf(e)?.Message ?? e.Message}); delete it by hand, or it goes with the cluster.";
            await _events.RecordAsync(cluster, EventRecorder.Warning, kind.FailedReason, "Delete", note, cancellationToken).ConfigureAwait(false);
        }
    }
}
