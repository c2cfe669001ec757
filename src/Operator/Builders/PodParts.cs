using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>
/// The pieces node and router pods share: ports, probes, the restricted security context, the
/// writable /tmp and the scrape annotations.
/// </summary>
public static class PodParts
{
    /// <summary>HTTP port of nodes and routers: the reference API, /metrics, health (RESP accepted too).</summary>
    public const int HttpPort = 7171;

    /// <summary>RESP port of nodes and routers.</summary>
    public const int RespPort = 6379;

    public const string HttpPortName = "http";
    public const string RespPortName = "resp";

    /// <summary>
    /// UID and GID the containers run as: the <c>app</c> user of the .NET base images. A numeric
    /// user lets the kubelet verify runAsNonRoot even when an image names its user.
    /// </summary>
    public const long RunAsUser = 1654;

    /// <summary>Where the writable emptyDir is mounted; the root filesystem is read-only.</summary>
    public const string TmpPath = "/tmp";

    /// <summary>Size limit of the /tmp emptyDir: .NET only keeps diagnostics sockets there.</summary>
    public const string TmpSizeLimit = "64Mi";

    public static List<V1ContainerPort> ContainerPorts() =>
    [
        new() { Name = HttpPortName, ContainerPort = HttpPort, Protocol = "TCP" },
        new() { Name = RespPortName, ContainerPort = RespPort, Protocol = "TCP" },
    ];

    public static List<V1ServicePort> ServicePorts() =>
    [
        new() { Name = HttpPortName, Port = HttpPort, TargetPort = HttpPortName, Protocol = "TCP" },
        new() { Name = RespPortName, Port = RespPort, TargetPort = RespPortName, Protocol = "TCP" },
    ];

    /// <summary>GET /healthz: restarts a process that stopped answering (10 s period, 3 failures).</summary>
    public static V1Probe Liveness() => new()
    {
        HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = HttpPortName },
        PeriodSeconds = 10,
        TimeoutSeconds = 2,
        FailureThreshold = 3,
    };

    /// <summary>GET /readyz: takes a pod out of its Services quickly (5 s period, 2 failures).</summary>
    public static V1Probe Readiness() => new()
    {
        HttpGet = new V1HTTPGetAction { Path = "/readyz", Port = HttpPortName },
        PeriodSeconds = 5,
        TimeoutSeconds = 2,
        FailureThreshold = 2,
    };

    /// <summary>The restricted Pod Security Standard at container level.</summary>
    public static V1SecurityContext ContainerSecurity() => new()
    {
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = true,
        RunAsNonRoot = true,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    /// <summary>The restricted Pod Security Standard at pod level.</summary>
    public static V1PodSecurityContext PodSecurity() => new()
    {
        RunAsNonRoot = true,
        RunAsUser = RunAsUser,
        RunAsGroup = RunAsUser,
        FsGroup = RunAsUser,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static V1Volume TmpVolume() => new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity(TmpSizeLimit) } };

    public static V1VolumeMount TmpMount() => new() { Name = "tmp", MountPath = TmpPath };

    /// <summary>KVCACHE_NAMESPACE from the downward API, and KVCACHE_RING_CONFIGMAP naming the ring ConfigMap.</summary>
    public static List<V1EnvVar> RingEnvironment(string cluster) =>
    [
        FromField("KVCACHE_NAMESPACE", "metadata.namespace"),
        new() { Name = "KVCACHE_RING_CONFIGMAP", Value = ObjectNames.RingConfigMap(cluster) },
    ];

    /// <summary>Annotations that Prometheus' kubernetes-pods discovery scrapes by.</summary>
    /// <summary>An environment variable the downward API fills from the pod's <paramref name="fieldPath"/>.</summary>
    public static V1EnvVar FromField(string name, string fieldPath) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = fieldPath } } };

    /// <summary>The container's requests and limits from a KvCluster's <see cref="ResourceRequirements"/>, or null.</summary>
    public static V1ResourceRequirements? Resources(ResourceRequirements? resources) => resources is null ? null : new()
    {
        Limits = resources.Limits?.ToDictionary(e => e.Key, e => new ResourceQuantity(e.Value.Value)),
        Requests = resources.Requests?.ToDictionary(e => e.Key, e => new ResourceQuantity(e.Value.Value)),
    };

    public static Dictionary<string, string> ScrapeAnnotations() => new()
    {
        ["prometheus.io/scrape"] = "true",
        ["prometheus.io/port"] = HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["prometheus.io/path"] = "/metrics",
    };

    /// <summary>The user's pod annotations with the scrape annotations, which win: the metrics port is the pod's, not a setting.</summary>
    public static Dictionary<string, string> Annotations(Dictionary<string, string>? user)
    {
        var annotations = new Dictionary<string, string>(user ?? [], StringComparer.Ordinal);
        foreach ((string key, string value) in ScrapeAnnotations())
        {
            annotations[key] = value;
        }

        return annotations;
    }

    /// <summary>Node label that tells hosts apart, the topology key of <see cref="PreferOnePerHost"/>.</summary>
    public const string HostnameTopologyKey = "kubernetes.io/hostname";

    /// <summary>
    /// Soft anti-affinity of a component's pods over hosts: what a pod gets when the KvCluster
    /// places it no other way, so losing one host takes out one node (or router), not several.
    /// Soft, so a cluster with fewer hosts than pods still schedules them all.
    /// </summary>
    public static V1Affinity PreferOnePerHost(string cluster, string component) => new()
    {
        PodAntiAffinity = new V1PodAntiAffinity
        {
            PreferredDuringSchedulingIgnoredDuringExecution =
            [
                new V1WeightedPodAffinityTerm
                {
                    Weight = 100,
                    PodAffinityTerm = new V1PodAffinityTerm { TopologyKey = HostnameTopologyKey, LabelSelector = SelectorFor(cluster, component) },
                },
            ],
        },
    };

    /// <summary>The label selector of a component's pods.</summary>
    public static V1LabelSelector SelectorFor(string cluster, string component) =>
        new() { MatchLabels = ClusterLabels.Selector(cluster, component) };
}
