using k8s;
using k8s.Models;
using KubeCache.Kubernetes;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Metrics;
using KubeCache.Operator.Resources;
using KubeCache.Topology;

namespace KubeCache.Operator.Reconcile;

/// <summary>
/// Brings one KvCluster's objects to what its spec asks for, always from the current
/// state — the informers' caches and the published ring — never from the event that woke it:
/// server-side apply of every built object, the StatefulSet size and ring membership per the
/// rebalance protocol, then the status. Idempotent; safe to run at any time.
/// </summary>
public sealed partial class ClusterReconciler
{
    /// <summary>How soon a cluster is looked at again while a rebalance is in progress or new pods start.</summary>
    public static readonly TimeSpan RebalancePollInterval = TimeSpan.FromSeconds(1);

    private readonly IKubernetes _client;
    private readonly PodHttpClients _http;
    private readonly ReconcilerSources _sources;
    private readonly ReconcilerSettings _settings;
    private readonly EventRecorder _events;
    private readonly OperatorMetrics _metrics;
    private readonly ILogger _logger;

    public ClusterReconciler(
        IKubernetes client, PodHttpClients http, ReconcilerSources sources, ReconcilerSettings settings, EventRecorder events, OperatorMetrics metrics, ILogger logger)
    {
        _client = client;
        _http = http;
        _sources = sources;
        _settings = settings;
        _events = events;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Reconciles the KvCluster <paramref name="key"/> (<c>namespace/name</c>).</summary>
    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        string[] parts = key.Split('/', 2);
        KvCluster? cluster = parts.Length == 2 ? _sources.Clusters.Get(parts[0], parts[1]) : null;
        if (cluster is null || cluster.Metadata.DeletionTimestamp is not null)
        {
            // Gone or going: owner references let the garbage collector remove its objects.
            _metrics.Forget(key);
            _http.Forget(key);
            return ReconcileResult.Done;
        }

        if (SpecProblems.Find(cluster) is { } problem)
        {
            await RejectAsync(cluster, problem, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        string name = ObjectMetadata.NameOf(cluster);
        int specReplicas = cluster.Spec.Replicas ?? KvClusterDefaults.Replicas;
        await ApplyObjectsAsync(cluster, cancellationToken).ConfigureAwait(false);

        Dictionary<string, V1Pod> pods = NodePods(cluster);
        var environment = new KubernetesRingEnvironment(
            _client, await PodHttpAsync(key, cluster, cancellationToken).ConfigureAwait(false), cluster, await ReadApiKeyAsync(cluster, cancellationToken).ConfigureAwait(false), RouterAddresses(cluster));
        RingDocument? published = await environment.ReadRingAsync(cancellationToken).ConfigureAwait(false);
        V1StatefulSet? statefulSet = _sources.StatefulSets.Get(ObjectMetadata.NamespaceOf(cluster), ObjectNames.StatefulSet(name));
        int replicas = RolloutPlanner.Replicas(name, specReplicas, pods, published, statefulSet);
        RolloutStep rollout = await CheckRoomAsync(RolloutPlanner.Plan(name, replicas, pods, published, statefulSet), published, pods, environment, cancellationToken)
            .ConfigureAwait(false);
        if (replicas != specReplicas)
        {
            rollout = rollout with { DeferredReplicas = specReplicas };
        }
        IReadOnlyList<RingMember>? desired = RingPlanner.DesiredMembers(name, replicas, pods, published, out IReadOnlyList<string> waiting, rollout.Leaving);

        RebalanceProgress? progress = null;
        RingDocument? ring = published;
        if (desired is not null)
        {
            var coordinator = new RebalanceCoordinator(environment, name, new RebalanceOptions { HandoffDeadline = _settings.HandoffDeadline }, _settings.Time);
            progress = await coordinator.StepAsync(desired, cancellationToken).ConfigureAwait(false);
            ring = await environment.ReadRingAsync(cancellationToken).ConfigureAwait(false);
            await ReportStepAsync(cluster, published, ring, progress, cancellationToken).ConfigureAwait(false);
        }

        await StepRolloutAsync(cluster, rollout, progress, pods, cancellationToken).ConfigureAwait(false);

        // After the step: a scale-down's new ring keeps the leaving pods until their handoff ends.
        await ApplyStatefulSetAsync(cluster, RingPlanner.StatefulSetReplicas(name, replicas, ring), cancellationToken).ConfigureAwait(false);
        MonitorOutcome?[] monitors =
        [
            await ApplyMonitorAsync(cluster, MonitorKind.Service, ServiceMonitorBuilder.Build(cluster), cancellationToken).ConfigureAwait(false),
            await ApplyMonitorAsync(cluster, MonitorKind.Pod, PodMonitorBuilder.Build(cluster), cancellationToken).ConfigureAwait(false),
        ];

        var observation = new ClusterObservation(
            cluster, ring, progress, waiting,
            ring is null ? [] : [.. ring.Members.Where(m => !(pods.TryGetValue(m.Name, out V1Pod? p) && RingPlanner.IsReady(p))).Select(m => m.Name)],
            pods.Count, pods.Values.Count(RingPlanner.IsReady), [.. monitors.OfType<MonitorOutcome>()], rollout);
        KvClusterStatus status = await WriteStatusAsync(cluster, observation, cancellationToken).ConfigureAwait(false);
        _metrics.Ring(key, ring?.Epoch ?? 0, progress?.KeysLeft ?? 0);
        Log.Reconciled(_logger, key, status.Phase ?? "", ring?.Epoch ?? 0);

        bool moving = ring?.Previous is not null || (waiting.Count > 0 && replicas > 0) || rollout.Action != RolloutAction.None;
        return moving ? ReconcileResult.After(RebalancePollInterval) : ReconcileResult.Done;
    }

    /// <summary>The cluster's node pods by name, from the pod informer.</summary>
    private Dictionary<string, V1Pod> NodePods(KvCluster cluster)
    {
        string name = ObjectMetadata.NameOf(cluster);
        return ComponentPods(cluster, ClusterLabels.NodeComponent)
            .Where(p => RingPlanner.OrdinalOf(name, p.Metadata.Name ?? "") >= 0)
            .ToDictionary(p => p.Metadata.Name!, StringComparer.Ordinal);
    }

    /// <summary>The cluster's Ready router pods (those serving clients) by name, with their HTTP address, from the pod informer.</summary>
    private Dictionary<string, string> RouterAddresses(KvCluster cluster) =>
        ComponentPods(cluster, ClusterLabels.RouterComponent)
            .Where(RingPlanner.IsReady)
            .ToDictionary(p => p.Metadata.Name!, RingPlanner.HttpAddressOf, StringComparer.Ordinal);

    /// <summary>The pods of one component (<see cref="ClusterLabels.ComponentKey"/>) of this cluster, from the pod informer.</summary>
    private IEnumerable<V1Pod> ComponentPods(KvCluster cluster, string component)
    {
        string name = ObjectMetadata.NameOf(cluster);
        string ns = ObjectMetadata.NamespaceOf(cluster);
        return _sources.Pods.List().Where(p => p.Metadata.NamespaceProperty == ns
            && ObjectMetadata.Label(p, ClusterLabels.InstanceKey) == name
            && ObjectMetadata.Label(p, ClusterLabels.ComponentKey) == component);
    }

    private async Task ApplyStatefulSetAsync(KvCluster cluster, int replicas, CancellationToken cancellationToken)
    {
        V1StatefulSet? before = _sources.StatefulSets.Get(cluster.Metadata.NamespaceProperty, ObjectNames.StatefulSet(ObjectMetadata.NameOf(cluster)));
        V1StatefulSet applied = await _client.ApplyAsync(Controller.OperatorResources.StatefulSets, StatefulSetBuilder.Build(cluster, replicas, _settings.Images),
            Controller.OperatorResources.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
        int? was = before?.Spec?.Replicas;
        if (was is { } from && from != replicas && applied.Spec?.Replicas == replicas)
        {
            string note = replicas > from
                ? $"Scaled StatefulSet {applied.Metadata.Name} from {from} to {replicas} nodes; they join the ring once Ready."
                : $"Scaled StatefulSet {applied.Metadata.Name} from {from} to {replicas} nodes after their keys were handed off.";
            await _events.RecordAsync(cluster, EventRecorder.Normal, "ScalingNodes", "Scale", note, cancellationToken).ConfigureAwait(false);
        }
    }
}
