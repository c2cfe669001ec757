using k8s;
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
    /// ConfigMap (the coordinator's) and the monitors (optional, applied last), and deletes
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

    private Task<T> ApplyAsync<T>(ApiResource resource, T obj, CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta> =>
        _client.ApplyAsync(resource, obj, OperatorResources.FieldManager, cancellationToken: cancellationToken);

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
