using System.Text.Json.Nodes;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Resources;
using KubeCache.Topology;
using static KubeCache.Operator.Tests.Support.TestClusters;

namespace KubeCache.Operator.Tests.Builders;

/// <summary>What every builder's output shares: namespace, labels, controller owner reference.</summary>
public class ObjectMetadataTests
{
    public static TheoryData<string> Kinds() =>
    [
        "StatefulSet", "NodesService", "RouterDeployment", "RouterService", "RingConfigMap",
        "PodDisruptionBudget", "ServiceAccount", "Role", "RoleBinding", "ServiceMonitor",
    ];

    private static JsonObject BuildKind(string kind, KvCluster cluster) => kind switch
    {
        "StatefulSet" => Json(StatefulSetBuilder.Build(cluster, 3, OperatorImages.Default)),
        "NodesService" => Json(ServiceBuilder.BuildNodes(cluster)),
        "RouterDeployment" => Json(DeploymentBuilder.BuildRouter(cluster, OperatorImages.Default)),
        "RouterService" => Json(ServiceBuilder.BuildRouter(cluster)),
        "RingConfigMap" => Json(ConfigMapBuilder.BuildRing(cluster, new RingDocument
        {
            Cluster = "demo",
            Epoch = 1,
            Members = [new RingMember("demo-0", "10.0.0.1:7171", "10.0.0.1:6379")],
        })),
        "PodDisruptionBudget" => Json(PodDisruptionBudgetBuilder.Build(cluster)!),
        "ServiceAccount" => Json(ServiceAccountBuilder.Build(cluster)),
        "Role" => Json(RoleBuilder.Build(cluster)),
        "RoleBinding" => Json(RoleBindingBuilder.Build(cluster)),
        "ServiceMonitor" => Json(ServiceMonitorBuilder.Build(cluster)!),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static KvCluster MonitoredDemo() =>
        Demo(s => s.Monitoring = new MonitoringSpec { ServiceMonitor = new MonitorOptions { Enabled = true } });

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Build_AnyKind_OwnedByKvClusterAsController(string kind)
    {
        JsonObject obj = BuildKind(kind, MonitoredDemo());

        JsonNode owner = Assert.Single(At(obj, "metadata.ownerReferences")!.AsArray())!;
        Assert.Equal("kubecache.io/v1alpha1", (string?)owner["apiVersion"]);
        Assert.Equal("KvCluster", (string?)owner["kind"]);
        Assert.Equal("demo", (string?)owner["name"]);
        Assert.Equal(Uid, (string?)owner["uid"]);
        Assert.True((bool?)owner["controller"]);
        Assert.True((bool?)owner["blockOwnerDeletion"]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Build_AnyKind_NamespacedAndLabelledPerDesign(string kind)
    {
        JsonObject obj = BuildKind(kind, MonitoredDemo());
        JsonObject labels = At(obj, "metadata.labels")!.AsObject();

        Assert.Equal("ns", (string?)At(obj, "metadata.namespace"));
        Assert.Equal("kvcache", (string?)labels["app.kubernetes.io/name"]);
        Assert.Equal("demo", (string?)labels["app.kubernetes.io/instance"]);
        Assert.Equal("kvcache-operator", (string?)labels["app.kubernetes.io/managed-by"]);
        Assert.True(labels["app.kubernetes.io/component"] is null || (string?)labels["app.kubernetes.io/component"] is "node" or "router");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Build_AnyKind_ApplyBodyHasNoServerOwnedFields(string kind)
    {
        JsonObject obj = BuildKind(kind, MonitoredDemo());
        JsonObject metadata = obj["metadata"]!.AsObject();

        Assert.Null(obj["status"]);
        Assert.NotNull(obj["apiVersion"]);
        Assert.NotNull(obj["kind"]);
        foreach (string serverField in new[] { "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields" })
        {
            Assert.False(metadata.ContainsKey(serverField), serverField);
        }
    }

    [Fact]
    public void For_ClusterWithoutUid_ThrowsNamingField()
    {
        KvCluster cluster = Demo();
        cluster.Metadata.Uid = null;

        var error = Assert.Throws<ArgumentException>(() => ServiceBuilder.BuildNodes(cluster));
        Assert.Contains("metadata.uid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_ClusterWithoutNamespace_ThrowsNamingField()
    {
        KvCluster cluster = Demo();
        cluster.Metadata.NamespaceProperty = null;

        var error = Assert.Throws<ArgumentException>(() => RoleBuilder.Build(cluster));
        Assert.Contains("metadata.namespace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeSelectorString_Demo_SortedKeyValuePairs()
    {
        Assert.Equal(
            "app.kubernetes.io/component=node,app.kubernetes.io/instance=demo,app.kubernetes.io/name=kvcache",
            ClusterLabels.NodeSelectorString("demo"));
    }
}
