using System.Text.Json.Nodes;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Resources;
using static KubeCache.Operator.Tests.Support.TestClusters;

namespace KubeCache.Operator.Tests.Builders;

public class DeploymentBuilderTests
{
    private static JsonObject Build(KvCluster cluster) => Json(DeploymentBuilder.BuildRouter(cluster, OperatorImages.Default));

    [Fact]
    public void BuildRouter_EmptySpec_DefaultsPerContract()
    {
        JsonObject deployment = Build(Demo());
        JsonNode container = At(deployment, "spec.template.spec.containers[0]")!;

        Assert.Equal("Deployment", (string?)deployment["kind"]);
        Assert.Equal("demo-router", (string?)At(deployment, "metadata.name"));
        Assert.Equal(2, (int?)At(deployment, "spec.replicas"));
        Assert.Equal("router", (string?)At(deployment, "spec.selector.matchLabels")!["app.kubernetes.io/component"]);
        Assert.Equal("router", (string?)At(deployment, "spec.template.metadata.labels")!["app.kubernetes.io/component"]);
        Assert.Equal("ghcr.io/kubecache/kvcache-router:0.1.0", (string?)container["image"]);
        Assert.Equal(["--shutdown-delay", "5", "--shutdown-timeout", "10"], container["args"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(20, (int?)At(deployment, "spec.template.spec.terminationGracePeriodSeconds"));
        Assert.Equal("demo", (string?)At(deployment, "spec.template.spec.serviceAccountName"));
        Assert.Equal(0, (int?)At(deployment, "spec.strategy.rollingUpdate.maxUnavailable"));
        Assert.Null(deployment["status"]);
    }

    [Fact]
    public void BuildRouter_Demo_EnvPortsProbesSecurity()
    {
        JsonNode container = At(Build(Demo()), "spec.template.spec.containers[0]")!;

        JsonArray env = container["env"]!.AsArray();
        Assert.Equal(2, env.Count);
        Assert.Equal("metadata.namespace", (string?)At(env.Single(e => (string?)e!["name"] == "KVCACHE_NAMESPACE")!, "valueFrom.fieldRef.fieldPath"));
        Assert.Equal("demo-ring", (string?)env.Single(e => (string?)e!["name"] == "KVCACHE_RING_CONFIGMAP")!["value"]);
        Assert.Equal([7171, 6379], container["ports"]!.AsArray().Select(p => (int)p!["containerPort"]!));
        Assert.Equal("/healthz", (string?)At(container, "livenessProbe.httpGet.path"));
        Assert.Equal("/readyz", (string?)At(container, "readinessProbe.httpGet.path"));
        Assert.True((bool?)At(container, "securityContext.readOnlyRootFilesystem"));
        Assert.Equal("/tmp", (string?)At(container, "volumeMounts[0].mountPath"));
        Assert.Null(container["lifecycle"]);
    }

    [Fact]
    public void BuildRouter_Overrides_ReplicasImageResourcesMissStatus()
    {
        JsonObject deployment = Build(Demo(s =>
        {
            s.MissStatus = 200;
            s.ImagePullPolicy = "IfNotPresent";
            s.Router = new RouterSpec
            {
                Replicas = 4,
                Image = "example/router:2",
                Resources = new() { Limits = new() { ["cpu"] = "2" } },
            };
        }));
        JsonNode container = At(deployment, "spec.template.spec.containers[0]")!;

        Assert.Equal(4, (int?)At(deployment, "spec.replicas"));
        Assert.Equal("example/router:2", (string?)container["image"]);
        Assert.Equal("IfNotPresent", (string?)container["imagePullPolicy"]);
        Assert.Equal("2", (string?)At(container, "resources.limits.cpu"));
        Assert.Equal(["--shutdown-delay", "5", "--shutdown-timeout", "10", "--miss-status", "200"], container["args"]!.AsArray().Select(a => (string)a!));
    }

    [Fact]
    public void BuildRouter_Demo_PrefersOneRouterPerHost()
    {
        JsonObject deployment = Json(DeploymentBuilder.BuildRouter(Demo(), OperatorImages.Default));

        JsonNode term = At(deployment, "spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm")!;
        Assert.Equal("kubernetes.io/hostname", (string?)term["topologyKey"]);
        Assert.Equal("router", (string?)At(term, "labelSelector.matchLabels")!["app.kubernetes.io/component"]);
    }

    /// <summary>Regression: the operator applied the router replicas on every reconcile, undoing what an HPA scaled them to.</summary>
    [Fact]
    public void BuildRouter_Autoscaled_LeavesReplicasToTheAutoscaler()
    {
        JsonObject deployment = Build(Demo(s => s.Router = new RouterSpec { Replicas = 4, Autoscaled = true }));

        Assert.Null(At(deployment, "spec.replicas"));
    }
}
