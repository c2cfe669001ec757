using System.Text.Json.Nodes;
using k8s;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Crd;
using KubeCache.Operator.Resources;
using KubeCache.Operator.Tests.Support;

namespace KubeCache.Operator.Tests.Resources;

/// <summary>The sample KvClusters in examples/ must pass the generated schema and build.</summary>
public class ExampleTests
{
    private static readonly JsonObject Schema =
        CrdGenerator.Generate(typeof(KvCluster))["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();

    private static JsonNode Example(string file) => YamlJson.Parse(File.ReadAllText(RepoPaths.Combine("examples", file)))!;

    [Theory]
    [InlineData("kvcluster.yaml")]
    [InlineData("kvcluster-production.yaml")]
    public void Example_AgainstGeneratedSchema_IsValid(string file)
    {
        JsonNode example = Example(file);

        Assert.Empty(SchemaValidator.Validate(example, Schema));
        Assert.Equal(KvCluster.GroupVersion, (string?)example["apiVersion"]);
        Assert.Equal(KvCluster.KindName, (string?)example["kind"]);
        // The one CEL rule, which the validator does not evaluate.
        JsonNode spec = example["spec"]!;
        long maxKey = spec["maxKeyBytes"] is { } key ? (long)key : KvClusterDefaults.MaxKeyBytes;
        long maxValue = spec["maxValueBytes"] is { } value ? (long)value : KvClusterDefaults.MaxValueBytes;
        Assert.True(maxKey <= maxValue, "maxKeyBytes must not exceed maxValueBytes");
        KvCluster cluster = KubernetesJson.Deserialize<KvCluster>(example);
        Assert.Null(KubeCache.Operator.Reconcile.SpecProblems.Find(cluster));
    }

    [Fact]
    public void Example_Demo_IsNamedDemoWithThreeReplicas()
    {
        JsonNode example = Example("kvcluster.yaml");

        Assert.Equal("demo", (string?)example["metadata"]!["name"]);
        Assert.Equal(3, (int?)example["spec"]!["replicas"]);
    }

    [Theory]
    [InlineData("kvcluster.yaml")]
    [InlineData("kvcluster-production.yaml")]
    public void Example_Deserialized_BuildsEveryObject(string file)
    {
        KvCluster cluster = KubernetesJson.Deserialize<KvCluster>(Example(file));
        cluster.Metadata.NamespaceProperty ??= "ns";
        cluster.Metadata.Uid = TestClusters.Uid;

        var sts = StatefulSetBuilder.Build(cluster, cluster.Spec.Replicas ?? KvClusterDefaults.Replicas, OperatorImages.Default);

        Assert.Equal(cluster.Spec.Replicas, sts.Spec!.Replicas);
        Assert.NotNull(DeploymentBuilder.BuildRouter(cluster, OperatorImages.Default));
        Assert.NotNull(ServiceBuilder.BuildRouter(cluster));
        Assert.NotNull(ServiceBuilder.BuildNodes(cluster));
    }

    [Theory]
    [InlineData("replicas", "-1", ".spec.replicas: -1 is below 1")]
    [InlineData("replicas", "0", ".spec.replicas: 0 is below 1")]
    [InlineData("missStatus", "500", ".spec.missStatus: 500 is not one of")]
    [InlineData("maxMemory", "\"lots\"", ".spec.maxMemory: \"lots\" does not match")]
    [InlineData("maxValueBytes", "33554432", ".spec.maxValueBytes: 33554432 is above 16777216")]
    [InlineData("router", "{\"serviceType\":\"Ingress\"}", ".spec.router.serviceType: \"Ingress\" is not one of")]
    [InlineData("podDisruptionBudget", "{\"maxUnavailable\":\"half\"}", ".spec.podDisruptionBudget.maxUnavailable: \"half\" does not match")]
    [InlineData("tls", "{}", ".spec.tls.secretName: required")]
    [InlineData("replica", "3", ".spec.replica: unknown field")]
    [InlineData("affinity", "{\"podAntiAfinity\":{}}", ".spec.affinity.podAntiAfinity: unknown field")]
    [InlineData("tolerations", "[{\"key\":\"dedicated\",\"efect\":\"NoSchedule\"}]", ".spec.tolerations[0].efect: unknown field")]
    [InlineData("topologySpreadConstraints", "[{\"maxSkew\":1,\"whenUnsatisfiable\":\"ScheduleAnyway\"}]", ".spec.topologySpreadConstraints[0].topologyKey: required")]
    [InlineData("priorityClassName", "\"\"", ".spec.priorityClassName: ")]
    public void Schema_InvalidSpecField_IsRejected(string field, string json, string expectedError)
    {
        var cluster = new JsonObject
        {
            ["apiVersion"] = KvCluster.GroupVersion,
            ["kind"] = KvCluster.KindName,
            ["metadata"] = new JsonObject { ["name"] = "demo" },
            ["spec"] = new JsonObject { [field] = JsonNode.Parse(json) },
        };

        List<string> errors = SchemaValidator.Validate(cluster, Schema);

        Assert.Contains(errors, e => e.StartsWith(expectedError, StringComparison.Ordinal));
    }
}
