using k8s.Models;
using KubeCache.Kubernetes;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Reconcile;

/// <summary>The informer caches a reconcile reads current state from.</summary>
public sealed record ReconcilerSources(Informer<KvCluster> Clusters, Informer<V1Pod> Pods, Informer<V1StatefulSet> StatefulSets);

/// <summary>The operator options a reconcile uses.</summary>
/// <param name="Images">Images for KvClusters that name none.</param>
/// <param name="HandoffDeadline">How long a rebalance waits for handoffs before finishing anyway.</param>
/// <param name="Identity">This operator replica's name (Events' reportingInstance).</param>
/// <param name="Time">The clock of the rebalance deadline and of conditions.</param>
/// <param name="NodePollInterval">How often a settled cluster's node key counts are read (--node-poll-interval); zero: not at all.</param>
public sealed record ReconcilerSettings(OperatorImages Images, TimeSpan HandoffDeadline, string Identity, TimeProvider Time, TimeSpan NodePollInterval = default);
