using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeCache.Kubernetes;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Controller;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Reconcile;

public sealed partial class ClusterReconciler
{
    /// <summary>
    /// Applies every object but the StatefulSet (whose size depends on the rebalance), the ring
    /// ConfigMap (the coordinator's) and the ServiceMonitor (optional, applied last), and deletes
    /// the optional ones the spec turned off. RBAC first, so pods started by the workloads can
    /// read their ring at once.
    /// </summary>
    private async Task ApplyObjectsAsync(KvCluster cluster, CancellationToken cancellationToken)
    {
        await ApplyAsync(OperatorResources.ServiceAccounts, ServiceAccountBuilder.Build(cluster), cancellationToken).ConfigureAwait(false);
        await ApplyAsync(OperatorResources.Roles, RoleBuilder.Build(cluster), cancellationToken).ConfigureAwait(false);
        await ApplyAsync(OperatorResources.RoleBindings, RoleBindingBuilder.Build(cluster), cancellationToken).ConfigureAwait(false);
        await ApplyAsync(OperatorResources.Services, ServiceBuilder.BuildNodes(cluster), cancellationToken).ConfigureAwait(false);
        await ApplyAsync(OperatorResources.Services, ServiceBuilder.BuildRouter(cluster), cancellationToken).ConfigureAwait(false);
        await ApplyAsync(OperatorResources.Deployments, DeploymentBuilder.BuildRouter(cluster, _settings.Images), cancellationToken).ConfigureAwait(false);

        string name = ObjectMetadata.NameOf(cluster);
        string ns = ObjectMetadata.NamespaceOf(cluster);
        foreach ((V1PodDisruptionBudget? budget, string budgetName) in new[]
        {
            (PodDisruptionBudgetBuilder.Build(cluster), ObjectNames.PodDisruptionBudget(name)),
            (PodDisruptionBudgetBuilder.BuildRouter(cluster), ObjectNames.RouterPodDisruptionBudget(name)),
        })
        {
            if (budget is not null)
            {
                await ApplyAsync(OperatorResources.PodDisruptionBudgets, budget, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _client.DeleteAsync(OperatorResources.PodDisruptionBudgets, ns, budgetName, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Applies the ServiceMonitor the spec asks for (or deletes one it no longer asks for), last:
    /// without the Prometheus Operator's CRDs (404) or the chart's grant (403) it cannot be, and
    /// that must not hold back the cache. Returns why it failed, reported as the MonitoringReady
    /// condition and, when that is new, a Warning event; null when it was applied.
    /// </summary>
    private async Task<string?> ApplyServiceMonitorAsync(KvCluster cluster, CancellationToken cancellationToken)
    {
        string ns = ObjectMetadata.NamespaceOf(cluster);
        if (ServiceMonitorBuilder.Build(cluster) is not { } monitor)
        {
            if (AppliedServiceMonitor(cluster))
            {
                await DeleteServiceMonitorAsync(cluster, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }

        try
        {
            await ApplyAsync(OperatorResources.ServiceMonitors, monitor, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (HttpOperationException e) when (ApiErrors.StatusCodeOf(e) is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound)
        {
            string failure = ApiErrors.StatusCodeOf(e) == System.Net.HttpStatusCode.NotFound
                ? "The ServiceMonitor kind is not served (404): install the Prometheus Operator's CRDs, or turn spec.monitoring.serviceMonitor off."
                : $"The operator may not apply ServiceMonitors (403: {ApiErrors.StatusOf(e)?.Message ?? e.Message}); install the chart with its ServiceMonitor grant, or turn spec.monitoring.serviceMonitor off.";
            bool known = cluster.Status?.Conditions?.Any(c => c.Type == KvClusterConditionType.MonitoringReady && c.Status == ConditionStatus.False && c.Message == failure) == true;
            if (!known)
            {
                await _events.RecordAsync(cluster, EventRecorder.Warning, "ServiceMonitorFailed", "Apply", failure, cancellationToken).ConfigureAwait(false);
            }

            return failure;
        }
    }

    private Task<T> ApplyAsync<T>(ApiResource resource, T obj, CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta> =>
        _client.ApplyAsync(resource, obj, OperatorResources.FieldManager, cancellationToken: cancellationToken);

    /// <summary>
    /// Whether this operator applied the cluster's ServiceMonitor: the status it last wrote says
    /// MonitoringReady True. Only then is there one of ours to delete, so a cluster that never
    /// asked for monitoring costs no ServiceMonitor call, which the chart grants only when
    /// monitoring is wanted.
    /// </summary>
    private static bool AppliedServiceMonitor(KvCluster cluster) =>
        cluster.Status?.Conditions?.Any(c => c.Type == KvClusterConditionType.MonitoringReady && c.Status == ConditionStatus.True) == true;

    /// <summary>
    /// Deletes the ServiceMonitor this operator applied and the spec no longer asks for. Gone
    /// already (404) is done. Refused (403: the grant went with the spec's monitoring) is a
    /// Warning event: the status written next drops MonitoringReady, so it is not tried again,
    /// and the owner reference still lets the garbage collector remove it with the cluster.
    /// </summary>
    private async Task DeleteServiceMonitorAsync(KvCluster cluster, CancellationToken cancellationToken)
    {
        string name = ObjectNames.ServiceMonitor(ObjectMetadata.NameOf(cluster));
        try
        {
            await _client.DeleteAsync(OperatorResources.ServiceMonitors, ObjectMetadata.NamespaceOf(cluster), name, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (ApiErrors.StatusCodeOf(e) == System.Net.HttpStatusCode.Forbidden)
        {
            string note = $"The operator may not delete ServiceMonitor {name}, which spec.monitoring.serviceMonitor no longer asks for "
                + $"(403: {ApiErrors.StatusOf(e)?.Message ?? e.Message}); delete it by hand, or it goes with the cluster.";
            await _events.RecordAsync(cluster, EventRecorder.Warning, "ServiceMonitorFailed", "Delete", note, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The API key the nodes accept, from the auth Secret (spec.auth.secretRef); null when auth is
    /// off. Read on every reconcile so a rotated key is used at once, and kept in memory only.
    /// </summary>
    private async Task<string?> ReadApiKeyAsync(KvCluster cluster, CancellationToken cancellationToken)
    {
        if (cluster.Spec.Auth?.SecretRef is not { Name.Length: > 0 } reference)
        {
            return null;
        }

        V1Secret? secret = await _client.TryGetAsync<V1Secret>(OperatorResources.Secrets, ObjectMetadata.NamespaceOf(cluster), reference.Name,
            cancellationToken).ConfigureAwait(false);
        string dataKey = reference.Key ?? KvClusterDefaults.AuthSecretKey;
        return KubernetesRingEnvironment.FirstKey(secret?.Data is { } data && data.TryGetValue(dataKey, out byte[]? keys) ? keys : null);
    }

    /// <summary>
    /// How this reconcile asks the cluster's pods: plain without spec.tls; with it, HTTPS verified
    /// against the TLS Secret's ca.crt, read on every reconcile so a rotated CA is used at once.
    /// </summary>
    /// <exception cref="InvalidOperationException">The TLS Secret is missing or has no CA: the pods cannot be verified, so they are not asked.</exception>
    private async Task<PodHttp> PodHttpAsync(string key, KvCluster cluster, CancellationToken cancellationToken)
    {
        if (cluster.Spec.Tls?.SecretName is not { Length: > 0 } secretName)
        {
            return _http.Plain;
        }

        V1Secret? secret = await _client.TryGetAsync<V1Secret>(OperatorResources.Secrets, ObjectMetadata.NamespaceOf(cluster), secretName,
            cancellationToken).ConfigureAwait(false);
        byte[]? ca = secret?.Data is { } data && data.TryGetValue(SecurityParts.TlsCaKey, out byte[]? value) ? value : null;
        if (ca is not { Length: > 0 })
        {
            ThrowHelper.ThrowTlsSecretWithoutCa(secretName, secret is null ? "it does not exist" : $"it has no {SecurityParts.TlsCaKey}");
        }

        return _http.Tls(key, secretName, System.Text.Encoding.ASCII.GetString(ca));
    }
}
