using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the router Deployment (<c>demo-router</c>).</summary>
public static class DeploymentBuilder
{
    public const string ContainerName = "router";

    /// <summary>
    /// Routers with the spec's replicas, image and resources. The router answers a miss itself,
    /// so it gets <c>--miss-status</c> when the spec sets it, like the nodes.
    /// </summary>
    public static V1Deployment BuildRouter(KvCluster cluster, OperatorImages images)
    {
        ArgumentNullException.ThrowIfNull(images);
        string name = ObjectMetadata.NameOf(cluster);
        RouterSpec router = cluster.Spec.Router ?? new RouterSpec();
        var args = new List<string>();
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
                        SecurityContext = PodParts.PodSecurity(),
                        Affinity = PodParts.PreferOnePerHost(name, ClusterLabels.RouterComponent),
                        Containers =
                        [
                            new V1Container
                            {
                                Name = ContainerName,
                                Image = router.Image ?? images.Router,
                                ImagePullPolicy = cluster.Spec.ImagePullPolicy,
                                Args = args.Count > 0 ? args : null,
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
