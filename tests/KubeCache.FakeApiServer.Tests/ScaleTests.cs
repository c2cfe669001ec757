using System.Net;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

public sealed class ScaleTests
{
    [Fact]
    public async Task GetScale_CustomResource_ReadsDeclaredPaths()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 3));
        await client.PatchAsync(Paths.KvCluster("demo") + "/status", """{"status":{"replicas":2,"selector":"app.kubernetes.io/instance=demo"}}""", ApiClient.Merge);

        var scale = await client.GetJsonAsync(Paths.KvCluster("demo") + "/scale");

        Assert.Equal(("Scale", "autoscaling/v1"), (scale.Str("kind"), scale.Str("apiVersion")));
        Assert.Equal(3, scale.Long("spec", "replicas"));
        Assert.Equal(2, scale.Long("status", "replicas"));
        Assert.Equal("app.kubernetes.io/instance=demo", scale.Str("status", "selector"));
    }

    [Fact]
    public async Task PatchScale_CustomResource_WritesSpecReplicasAndBumpsGeneration()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 3));

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "/scale", """{"spec":{"replicas":5}}""", ApiClient.Merge);

        Assert.Equal(5, reply.Long("spec", "replicas"));
        var stored = server.Get(TestCrd.Group, TestCrd.Plural, "default", "demo")!;
        Assert.Equal(5, stored["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal(2, stored["metadata"]!["generation"]!.GetValue<long>());
        Assert.Contains(stored["metadata"]!["managedFields"]!.AsArray(), e => e!["subresource"]?.GetValue<string>() == "scale");
    }

    [Fact]
    public async Task PutScale_StaleResourceVersion_Returns409()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 3));
        var scale = (await client.GetJsonAsync(Paths.KvCluster("demo") + "/scale")).Object;
        await client.PatchAsync(Paths.KvCluster("demo"), """{"spec":{"replicas":4}}""", ApiClient.Merge);

        scale["spec"]!["replicas"] = 9;
        var reply = await client.PutAsync(Paths.KvCluster("demo") + "/scale", scale.ToJsonString());

        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
    }

    [Fact]
    public async Task PutScale_StatefulSet_WritesReplicasAndReportsSpecSelector()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync(Paths.StatefulSets, """{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"demo"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"kv","instance":"demo"}}}}""");

        var reply = await client.PutAsync(Paths.StatefulSets + "/demo/scale", """{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"demo"},"spec":{"replicas":1}}""");

        Assert.Equal(1, reply.Long("spec", "replicas"));
        Assert.Equal("app=kv,instance=demo", reply.Str("status", "selector"));
        Assert.Equal(1, server.Get("apps", "statefulsets", "default", "demo")!["spec"]!["replicas"]!.GetValue<long>());
    }
}
