using KubeCache.Kubernetes;
using KubeCache.Kubernetes.Models;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Controller;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Reconcile;

public sealed partial class ClusterReconciler
{
    /// <summary>
    /// Applies every object but the StatefulSet (whose size depends on the rebalance) and the
    /// ring ConfigMap (the coordinator's), and deletes the optional ones the spec turned off.
    /// RBAC first, so pods started by the workloads can read their ring at once.
    /// </summary>
    private async Task ApplyObjectsAsync(KvCluster cluster, CancellationToken cancellationToken)
    {
        WorkloadsJsonContext json = WorkloadsJsonContext.Default;
        await ApplyAsync(OperatorResources.ServiceAccounts, ServiceAccountBuilder.Build(cluster), json.ServiceAccount, cancellationToken).ConfigureAwait(false);
        await ApplyAsync(OperatorResources.Roles, RoleBuilder.Build(cluster), json.Role, cancellationToken).ConfigureAwait(false);
        await ApplyAsync(OperatorResources.RoleBindings, RoleBindingBuilder.Build(cluster), json.RoleBinding, cancellationToken).ConfigureAwait(false);
        await ApplyAsync(OperatorResources.Services, ServiceBuilder.BuildNodes(cluster), json.Service, cancellationToken).ConfigureAwait(false);
        await ApplyAsync(OperatorResources.Services, ServiceBuilder.BuildRouter(cluster), json.Service, cancellationToken).ConfigureAwait(false);
        await ApplyAsync(OperatorResources.Deployments, DeploymentBuilder.BuildRouter(cluster, _settings.Images), json.Deployment, cancellationToken).ConfigureAwait(false);

        string name = ObjectMetadata.NameOf(cluster);
        string ns = ObjectMetadata.NamespaceOf(cluster);
        if (PodDisruptionBudgetBuilder.Build(cluster) is { } budget)
        {
            await ApplyAsync(OperatorResources.PodDisruptionBudgets, budget, json.PodDisruptionBudget, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _client.DeleteAsync(OperatorResources.PodDisruptionBudgets, ns, ObjectNames.PodDisruptionBudget(name), ignoreNotFound: true,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (ServiceMonitorBuilder.Build(cluster) is { } monitor)
        {
            await ApplyAsync(OperatorResources.ServiceMonitors, monitor, json.ServiceMonitor, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await DeleteServiceMonitorAsync(ns, ObjectNames.ServiceMonitor(name), cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<T> ApplyAsync<T>(ApiResource resource, T obj, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : KubernetesObject =>
        _client.ApplyAsync(resource, obj, typeInfo, OperatorResources.FieldManager, cancellationToken: cancellationToken);

    /// <summary>
    /// Deletes a ServiceMonitor the spec no longer asks for. Where the Prometheus Operator is not
    /// installed (404) or the operator may not touch ServiceMonitors (403, the chart grants it
    /// only when monitoring is wanted), there is none of ours to delete.
    /// </summary>
    private async Task DeleteServiceMonitorAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteAsync(OperatorResources.ServiceMonitors, ns, name, ignoreNotFound: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.Status.Code == 403)
        {
            // Not allowed to have created one either.
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

        Secret? secret = await _client.TryGetAsync(OperatorResources.Secrets, cluster.Metadata.Namespace, reference.Name,
            OperatorJsonContext.Default.Secret, cancellationToken).ConfigureAwait(false);
        string dataKey = reference.Key ?? KvClusterDefaults.AuthSecretKey;
        return KubernetesRingEnvironment.FirstKey(secret?.Data?.GetValueOrDefault(dataKey));
    }
}
