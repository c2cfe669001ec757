using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

public sealed class GenerationAndStatusTests
{
    [Fact]
    public async Task Patch_SpecChange_BumpsGenerationOnce()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));

        var reply = await client.PatchAsync(Paths.KvCluster("demo"), """{"spec":{"replicas":4}}""", ApiClient.Merge);

        Assert.Equal(2, reply.Long("metadata", "generation"));
    }

    [Fact]
    public async Task Patch_MetadataOnly_KeepsGeneration()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        var created = await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));

        var reply = await client.PatchAsync(Paths.KvCluster("demo"), """{"metadata":{"labels":{"a":"b"}}}""", ApiClient.Merge);

        Assert.Equal(1, reply.Long("metadata", "generation"));
        Assert.NotEqual(created.Str("metadata", "resourceVersion"), reply.Str("metadata", "resourceVersion"));
    }

    [Fact]
    public async Task Create_WithStatus_StatusIsDropped()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var reply = await client.PostAsync(Paths.KvClusters, """{"apiVersion":"kubecache.io/v1alpha1","kind":"KvCluster","metadata":{"name":"demo"},"spec":{"replicas":1},"status":{"phase":"Ready"}}""");

        Assert.Null(reply.Object["status"]);
    }

    [Fact]
    public async Task MainResourcePatch_Status_IsIgnored()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));
        await client.PatchAsync(Paths.KvCluster("demo") + "/status", """{"status":{"phase":"Ready"}}""", ApiClient.Merge);

        var reply = await client.PatchAsync(Paths.KvCluster("demo"), """{"status":{"phase":"Degraded"},"spec":{"replicas":2}}""", ApiClient.Merge);

        Assert.Equal("Ready", reply.Str("status", "phase"));
        Assert.Equal(2, reply.Long("spec", "replicas"));
    }

    [Fact]
    public async Task StatusPatch_SpecAndLabels_AreIgnoredAndGenerationKept()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "/status",
            """{"metadata":{"labels":{"x":"y"}},"spec":{"replicas":9},"status":{"readyReplicas":1}}""", ApiClient.Merge);

        Assert.Equal(1, reply.Long("status", "readyReplicas"));
        Assert.Equal(1, reply.Long("spec", "replicas"));
        Assert.Null(reply.Object["metadata"]!["labels"]);
        Assert.Equal(1, reply.Long("metadata", "generation"));
    }

    [Fact]
    public async Task StatusPut_StaleResourceVersion_Returns409()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        var created = (await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1))).Object;
        await client.PatchAsync(Paths.KvCluster("demo"), """{"spec":{"replicas":2}}""", ApiClient.Merge);

        created["status"] = new JsonObject { ["phase"] = "Ready" };
        var reply = await client.PutAsync(Paths.KvCluster("demo") + "/status", created.ToJsonString());

        Assert.Equal(System.Net.HttpStatusCode.Conflict, reply.Status);
    }
}
