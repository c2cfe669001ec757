using System.Globalization;
using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the StatefulSet of cache nodes (<c>demo</c>, pods <c>demo-0</c>...).</summary>
public static class StatefulSetBuilder
{
    public const string ContainerName = "node";

    /// <summary>
    /// Parallel: a node joins the ring only when the operator publishes it after the pod is
    /// Ready, and leaves only after its handoff, so ordered start and stop protect nothing and
    /// would make scaling by n pods take n pod start-ups. (Immutable once the StatefulSet exists.)
    /// </summary>
    public const string PodManagementPolicy = "Parallel";

    /// <summary>
    /// OnDelete: a template change replaces no pod by itself; the operator replaces each node
    /// after handing its keys off to the others (see <c>RolloutPlanner</c>), which a rolling
    /// update, deleting pods on its own, would not wait for.
    /// </summary>
    public const string UpdateStrategy = "OnDelete";

    /// <summary>
    /// The StatefulSet with <paramref name="replicas"/> pods. The reconciler chooses the count:
    /// it differs from <c>spec.replicas</c> while a scale-down waits for the handoff.
    /// </summary>
    public static V1StatefulSet Build(KvCluster cluster, int replicas, OperatorImages images)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        ArgumentNullException.ThrowIfNull(images);
        string name = ObjectMetadata.NameOf(cluster);
        KvClusterSpec spec = cluster.Spec;
        return new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = ObjectMetadata.For(cluster, ObjectNames.StatefulSet(name), ClusterLabels.NodeComponent),
            Spec = new V1StatefulSetSpec
            {
                Replicas = replicas,
                ServiceName = ObjectNames.NodesService(name),
                PodManagementPolicy = PodManagementPolicy,
                Selector = PodParts.SelectorFor(name, ClusterLabels.NodeComponent),
                UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = UpdateStrategy },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = ClusterLabels.For(name, ClusterLabels.NodeComponent),
                        Annotations = PodParts.Annotations(spec.PodAnnotations),
                    },
                    Spec = PodSpec(cluster, name, spec, images),
                },
            },
        };
    }

    /// <summary>Most seconds of the grace period the node's shutdown (draining open requests) gets; the preStop handoff wait gets the rest.</summary>
    public const long MaxShutdownSeconds = 10;

    /// <summary>Share of the grace period the shutdown gets below <see cref="MaxShutdownSeconds"/>: 1/12, so 120 s gives the node's own defaults (110 s preStop, 10 s shutdown).</summary>
    public const long ShutdownShareDivisor = 12;

    /// <summary>
    /// The node's flags: one per spec field that is set, none for fields left to the node's
    /// defaults, but for the budget derived from the memory limit, the event loops derived from
    /// the CPU given, and the preStop and shutdown timeouts, which always split the pod's grace
    /// period so the kubelet never kills a node mid-handoff and a long grace period is used.
    /// </summary>
    public static List<string> Args(KvClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var args = new List<string>();
        Add(args, "--max-memory", NodeMemory.MaxMemoryArg(spec));
        Add(args, "--memory-reserve", spec.MemoryReserve);
        Add(args, "--io-threads", NodeCpu.IoThreadsArg(spec));
        long grace = spec.TerminationGracePeriodSeconds ?? KvClusterDefaults.TerminationGracePeriodSeconds;
        long shutdown = Math.Clamp(grace / ShutdownShareDivisor, 1, MaxShutdownSeconds);
        Add(args, "--prestop-timeout", Math.Max(0, grace - shutdown));
        Add(args, "--shutdown-timeout", shutdown);
        Add(args, "--shards", spec.Shards);
        Add(args, "--max-key-bytes", spec.MaxKeyBytes);
        Add(args, "--max-value-bytes", spec.MaxValueBytes);
        Add(args, "--default-ttl", spec.DefaultTtl);
        Add(args, "--miss-status", spec.MissStatus);
        return args;
    }

    internal static void Add(List<string> args, string flag, long? value) =>
        Add(args, flag, value?.ToString(CultureInfo.InvariantCulture));

    internal static void Add(List<string> args, string flag, string? value)
    {
        if (value is not null)
        {
            args.Add(flag);
            args.Add(value);
        }
    }

    private static V1PodSpec PodSpec(KvCluster cluster, string name, KvClusterSpec spec, OperatorImages images) => new()
    {
        ServiceAccountName = ObjectNames.Rbac(name),
        TerminationGracePeriodSeconds = spec.TerminationGracePeriodSeconds ?? KvClusterDefaults.TerminationGracePeriodSeconds,
        SecurityContext = PodParts.PodSecurity(),
        Containers = [NodeContainer(name, spec, images)],
        Volumes = [PodParts.TmpVolume(), .. SecurityParts.Volumes(spec)],
        // The user's placement replaces the default spread; a spread constraint is placement too.
        Affinity = spec.Affinity ?? (spec.TopologySpreadConstraints is null ? PodParts.PreferOnePerHost(name, ClusterLabels.NodeComponent) : null),
        Tolerations = spec.Tolerations,
        TopologySpreadConstraints = spec.TopologySpreadConstraints,
        NodeSelector = spec.NodeSelector,
        PriorityClassName = spec.PriorityClassName,
    };

    private static V1Container NodeContainer(string name, KvClusterSpec spec, OperatorImages images)
    {
        List<string> args = [.. Args(spec), .. SecurityParts.Args(spec)];
        var env = new List<V1EnvVar> { PodParts.FromField("KVCACHE_NODE_NAME", "metadata.name") };
        env.AddRange(PodParts.RingEnvironment(name));
        return new V1Container
        {
            Name = ContainerName,
            Image = spec.Image ?? images.Node,
            ImagePullPolicy = spec.ImagePullPolicy,
            Args = args,
            Ports = [.. PodParts.ContainerPorts(), .. SecurityParts.Ports(spec)],
            Env = env,
            Resources = PodParts.Resources(spec.Resources),
            LivenessProbe = PodParts.Liveness(),
            ReadinessProbe = PodParts.Readiness(),
            // Blocks until this node's keys are with their new owners (or the handoff deadline
            // passes); terminationGracePeriodSeconds bounds it.
            Lifecycle = new V1Lifecycle
            {
                PreStop = new V1LifecycleHandler { HttpGet = new V1HTTPGetAction { Path = "/cluster/prestop", Port = PodParts.HttpPortName } },
            },
            SecurityContext = PodParts.ContainerSecurity(),
            VolumeMounts = [PodParts.TmpMount(), .. SecurityParts.Mounts(spec)],
        };
    }
}
