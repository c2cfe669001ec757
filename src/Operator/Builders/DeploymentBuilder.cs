using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the router Deployment (<c>demo-router</c>).</summary>
public static class DeploymentBuilder
{
    public const string ContainerName = "router";

    /// <summary>
    /// The router's --shutdown-delay, in seconds: after SIGTERM it keeps serving, with /readyz 503,
    /// while the router Service's endpoints drop the pod (5 s, the router's own default).
    /// </summary>
    public const long ShutdownDelaySeconds = 5;

    /// <summary>The router's --shutdown-timeout, in seconds: how long its open connections get to finish after the delay.</summary>
    public const long ShutdownTimeoutSeconds = 10;

    /// <summary>
    /// The router pod's terminationGracePeriodSeconds: the delay and the drain, plus 5 s for the
    /// process to exit, so kubelet's SIGKILL never cuts a drain short.
    /// </summary>
    public const long TerminationGracePeriodSeconds = ShutdownDelaySeconds + ShutdownTimeoutSeconds + 5;

    /// <summary>
    /// Routers with the spec's replicas, image and resources, stopping without dropping a request
    /// (<see cref="ShutdownDelaySeconds"/>, <see cref="TerminationGracePeriodSeconds"/>). The
    /// router answers a miss itself, so it gets <c>--miss-status</c> when the spec sets it, like the nodes.
    /// </summary>
    public static V1Deployment BuildRouter(KvCluster cluster, OperatorImages images)
    {
        ArgumentNullException.ThrowIfNull(images);
        string name = ObjectMetadata.NameOf(cluster);
        RouterSpec router = cluster.Spec.Router ?? new RouterSpec();
        var args = new List<string>();
        StatefulSetBuilder.Add(args, "--shutdown-delay", ShutdownDelaySeconds);
        StatefulSetBuilder.Add(args, "--shutdown-timeout", ShutdownTimeoutSeconds);
        StatefulSetBuilder.Add(args, "--miss-status", cluster.Spec.MissStatus);
        args.AddRange(SecurityParts.Args(cluster.Spec));
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = ObjectMetadata.For(cluster, ObjectNames.RouterDeployment(name), ClusterLabels.RouterComponent),
            Spec = new V1DeploymentSpec
            {
                // Left out of the apply when autoscaled, so the operator holds no claim on the field and the HPA's writes stand.
                Replicas = router.Autoscaled ?? KvClusterDefaults.RouterAutoscaled ? null : router.Replicas ?? KvClusterDefaults.RouterReplicas,
                Selector = PodParts.SelectorFor(name, ClusterLabels.RouterComponent),
                // Routers hold no data: surge one new pod before stopping an old one, so capacity never drops.
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = ClusterLabels.For(name, ClusterLabels.RouterComponent),
                        Annotations = PodParts.ScrapeAnnotations(),
                    },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = ObjectNames.Rbac(name),
                        TerminationGracePeriodSeconds = TerminationGracePeriodSeconds,
                        SecurityContext = PodParts.PodSecurity(),
                        Affinity = PodParts.PreferOnePerHost(name, ClusterLabels.RouterComponent),
                        Containers =
                        [
                            new V1Container
                            {
                                Name = ContainerName,
                                Image = router.Image ?? images.Router,
                                ImagePullPolicy = cluster.Spec.ImagePullPolicy,
                                Args = args,
                                Ports = [.. PodParts.ContainerPorts(), .. SecurityParts.Ports(cluster.Spec)],
                                Env = PodParts.RingEnvironment(name),
                                Resources = PodParts.Resources(router.Resources),
                                LivenessProbe = PodParts.Liveness(),
                                ReadinessProbe = PodParts.Readiness(),
                                SecurityContext = PodParts.ContainerSecurity(),
                                VolumeMounts = [PodParts.TmpMount(), .. SecurityParts.Mounts(cluster.Spec)],
                            },
                        ],
                        Volumes = [PodParts.TmpVolume(), .. SecurityParts.Volumes(cluster.Spec)],
                    },
                },
            },
        };
    }
}
