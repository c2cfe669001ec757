using System.Text.Json.Nodes;
using KubeCache.Operator.Builders;
using KubeCache.Topology;
using static KubeCache.Operator.Tests.Support.TestClusters;

namespace KubeCache.Operator.Tests.Builders;

public class ConfigMapBuilderTests
{
    private static RingDocument Ring(string cluster = "demo") => new()
    {
        Cluster = cluster,
        Epoch = 7,
        Members = [new RingMember("demo-0", "10.1.2.3:7171", "10.1.2.3:6379"), new RingMember("demo-1", "10.1.2.4:7171", "10.1.2.4:6379")],
    };

    [Fact]
    public void BuildRing_Demo_HoldsTopologysRingJson()
    {
        RingDocument ring = Ring();
        JsonObject configMap = Json(ConfigMapBuilder.BuildRing(Demo(), ring));

        Assert.Equal("v1", (string?)configMap["apiVersion"]);
        Assert.Equal("ConfigMap", (string?)configMap["kind"]);
        Assert.Equal("demo-ring", (string?)At(configMap, "metadata.name"));
        Assert.Equal("ns", (string?)At(configMap, "metadata.namespace"));
        string json = (string)configMap["data"]!["ring.json"]!;
        Assert.Equal(System.Text.Encoding.UTF8.GetString(ring.ToUtf8Json()), json);
        RingDocument parsed = RingDocument.Parse(json);
        Assert.Equal(7, parsed.Epoch);
        Assert.Equal(["demo-0", "demo-1"], parsed.Members.Select(m => m.Name));
        Assert.Single(configMap["data"]!.AsObject());
    }

    [Fact]
    public void BuildRing_SharedObject_HasNoComponentLabel()
    {
        JsonObject labels = At(Json(ConfigMapBuilder.BuildRing(Demo(), Ring())), "metadata.labels")!.AsObject();

        Assert.Equal("demo", (string?)labels["app.kubernetes.io/instance"]);
        Assert.False(labels.ContainsKey("app.kubernetes.io/component"));
    }

    [Fact]
    public void BuildRing_DocumentOfOtherCluster_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ConfigMapBuilder.BuildRing(Demo(), Ring("other")));

        Assert.Contains("\"other\"", error.Message, StringComparison.Ordinal);
    }
}
