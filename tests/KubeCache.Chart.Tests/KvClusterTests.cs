using KubeCache.Chart.Tests.Support;
using KubeCache.Configuration;
using KubeCache.Testing;

namespace KubeCache.Chart.Tests;

public sealed class KvClusterTests
{
    [Fact]
    public void Template_Defaults_KvClusterHasTheContractDefaultsAndLeavesTheRestToTheOperator()
    {
        Manifest cluster = DefaultRender.Manifests.Get("KvCluster", Helm.Release);
        var spec = cluster.Root.At("spec");

        Assert.Equal("kubecache.io/v1alpha1", cluster.Root.Str("apiVersion"));
        Assert.Equal(
            ["defaultTtl", "maxKeyBytes", "maxValueBytes", "missStatus", "monitoring", "podDisruptionBudget", "replicas", "resources", "router", "terminationGracePeriodSeconds"],
            spec.Keys().Order(StringComparer.Ordinal));
        Assert.Equal(3, spec.Long("replicas"));
        // The chart's values are the node's defaults, which the operator's KvCluster defaults also read.
        Assert.Equal(EntryLimits.DefaultMaxKeyBytes, spec.Long("maxKeyBytes"));
        Assert.Equal(EntryLimits.DefaultMaxValueBytes, spec.Long("maxValueBytes"));
        Assert.Equal(0, spec.Long("defaultTtl"));
        Assert.Equal(404, spec.Long("missStatus"));
        Assert.Equal(120, spec.Long("terminationGracePeriodSeconds"));
        // Requests let the scheduler place nodes; the memory limit sizes the cache.
        Assert.Equal("512Mi", spec.Str("resources", "limits", "memory"));
        Assert.Equal("100m", spec.Str("resources", "requests", "cpu"));
        Assert.Equal(2, spec.Long("router", "replicas"));
        Assert.Equal("256Mi", spec.Str("router", "resources", "limits", "memory"));
        Assert.Equal("ClusterIP", spec.Str("router", "serviceType"));
        Assert.True(spec.Bool("podDisruptionBudget", "enabled"));
        Assert.Equal(1, spec.Long("podDisruptionBudget", "maxUnavailable"));
        Assert.False(spec.Bool("monitoring", "serviceMonitor", "enabled"));
        Assert.Equal("30s", spec.Str("monitoring", "serviceMonitor", "interval"));
        Assert.False(spec.Bool("monitoring", "podMonitor", "enabled"));
        Assert.Equal("30s", spec.Str("monitoring", "podMonitor", "interval"));
    }

    [Fact]
    public void Template_EverySpecValueSet_MapsOntoTheSameSpecField()
    {
        Manifests manifests = Helm.Template(
            "cluster.name=sessions", "cluster.replicas=5", "cluster.image=reg/node:1", "cluster.imagePullPolicy=Always",
            "cluster.resources.limits.memory=1Gi", "cluster.resources.requests.cpu=500m", "cluster.maxMemory=512mb", "cluster.memoryReserve=96mb",
            "cluster.shards=16", "cluster.maxKeyBytes=512", "cluster.maxValueBytes=2097152", "cluster.defaultTtl=60",
            "cluster.missStatus=200", "cluster.terminationGracePeriodSeconds=300", "cluster.router.replicas=3", "cluster.router.autoscaled=true",
            "cluster.router.image=reg/router:1", "cluster.router.resources.requests.cpu=100m", "cluster.router.serviceType=LoadBalancer",
            "cluster.router.serviceAnnotations.lb/scheme=internal", "cluster.nodeSelector.pool=cache", "cluster.priorityClassName=cache-critical",
            "cluster.podAnnotations.team=platform",
            "cluster.podDisruptionBudget.enabled=false", "cluster.podDisruptionBudget.maxUnavailable=2",
            "cluster.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key=disk",
            "cluster.tolerations[0].key=dedicated", "cluster.tolerations[0].operator=Exists",
            "cluster.topologySpreadConstraints[0].maxSkew=1", "cluster.topologySpreadConstraints[0].topologyKey=zone",
            "cluster.topologySpreadConstraints[0].whenUnsatisfiable=ScheduleAnyway",
            "cluster.monitoring.serviceMonitor.enabled=true", "cluster.monitoring.serviceMonitor.interval=10s",
            "cluster.monitoring.podMonitor.enabled=true", "cluster.monitoring.podMonitor.interval=20s",
            "cluster.auth.secretRef.name=cache-keys", "cluster.auth.secretRef.key=list", "cluster.tls.secretName=cache-tls").Manifests();
        var spec = manifests.Get("KvCluster", "sessions").Root.At("spec");

        Assert.Equal(5, spec.Long("replicas"));
        Assert.Equal("reg/node:1", spec.Str("image"));
        Assert.Equal("Always", spec.Str("imagePullPolicy"));
        Assert.Equal("1Gi", spec.Str("resources", "limits", "memory"));
        Assert.Equal("500m", spec.Str("resources", "requests", "cpu"));
        Assert.Equal("512mb", spec.Str("maxMemory"));
        Assert.Equal("96mb", spec.Str("memoryReserve"));
        Assert.Equal("internal", spec.Str("router", "serviceAnnotations", "lb/scheme"));
        Assert.Equal("cache", spec.Str("nodeSelector", "pool"));
        Assert.Equal("cache-critical", spec.Str("priorityClassName"));
        Assert.Equal("platform", spec.Str("podAnnotations", "team"));
        Assert.Equal(16, spec.Long("shards"));
        Assert.Equal(512, spec.Long("maxKeyBytes"));
        Assert.Equal("2097152", spec.Str("maxValueBytes"));
        Assert.Equal(60, spec.Long("defaultTtl"));
        Assert.Equal(200, spec.Long("missStatus"));
        Assert.Equal(300, spec.Long("terminationGracePeriodSeconds"));
        Assert.Equal(3, spec.Long("router", "replicas"));
        Assert.True(spec.Bool("router", "autoscaled"));
        Assert.Equal("reg/router:1", spec.Str("router", "image"));
        Assert.Equal("100m", spec.Str("router", "resources", "requests", "cpu"));
        Assert.Equal("LoadBalancer", spec.Str("router", "serviceType"));
        Assert.False(spec.Bool("podDisruptionBudget", "enabled"));
        Assert.Equal(2, spec.Long("podDisruptionBudget", "maxUnavailable"));
        Assert.Equal("disk", spec.Items("affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
            .Single().Items("matchExpressions").Single().Str("key"));
        Assert.Equal("dedicated", spec.Items("tolerations").Single().Str("key"));
        Assert.Equal("zone", spec.Items("topologySpreadConstraints").Single().Str("topologyKey"));
        Assert.True(spec.Bool("monitoring", "serviceMonitor", "enabled"));
        Assert.Equal("10s", spec.Str("monitoring", "serviceMonitor", "interval"));
        Assert.True(spec.Bool("monitoring", "podMonitor", "enabled"));
        Assert.Equal("20s", spec.Str("monitoring", "podMonitor", "interval"));
        Assert.Equal("cache-keys", spec.Str("auth", "secretRef", "name"));
        Assert.Equal("list", spec.Str("auth", "secretRef", "key"));
        Assert.Equal("cache-tls", spec.Str("tls", "secretName"));
    }

    [Fact]
    public void Template_ClusterDisabled_RendersNoKvClusterButTheOperator()
    {
        Manifests manifests = Helm.Template("cluster.enabled=false").Manifests();

        Assert.Empty(manifests.OfKind("KvCluster"));
        Assert.NotNull(manifests.Find("Deployment", "kvcache-operator"));
        Assert.NotNull(manifests.Find("ClusterRole", "kvcache-operator"));
    }

    [Fact]
    public void Template_ReleaseNamedOtherwise_ClusterTakesTheReleaseName()
    {
        Manifests manifests = Helm.Run(["template", "cache", RepoPaths.Of("charts", "kvcache"), "--namespace", Helm.Namespace]).Manifests();

        Assert.NotNull(manifests.Find("KvCluster", "cache"));
        Assert.NotNull(manifests.Find("Deployment", "cache-kvcache-operator"));
    }
}
