using System.Net;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

public sealed class PatchTests
{
    [Fact]
    public async Task MergePatch_NullValue_RemovesField()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync(Paths.ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"x":"1","y":"2"}}""");

        var reply = await client.PatchAsync(Paths.ConfigMap("a"), """{"data":{"x":null,"z":"3"}}""", ApiClient.Merge);

        Assert.Equal("""{"y":"2","z":"3"}""", reply.Object["data"]!.ToJsonString());
    }

    [Fact]
    public async Task JsonPatch_TestAndReplace_Applies()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a", "old"));

        var reply = await client.PatchAsync(Paths.ConfigMap("a"),
            """[{"op":"test","path":"/data/k","value":"old"},{"op":"replace","path":"/data/k","value":"new"},{"op":"add","path":"/data/a~1b","value":"slash"}]""", ApiClient.JsonPatch);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("new", reply.Str("data", "k"));
        Assert.Equal("slash", reply.Str("data", "a/b"));
    }

    [Fact]
    public async Task JsonPatch_FailingTest_Returns422AndChangesNothing()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var created = await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a", "old"));

        var reply = await client.PatchAsync(Paths.ConfigMap("a"),
            """[{"op":"replace","path":"/data/k","value":"new"},{"op":"test","path":"/data/k","value":"other"}]""", ApiClient.JsonPatch);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Equal("old", server.Get("", "configmaps", "default", "a")!["data"]!["k"]!.GetValue<string>());
        Assert.Equal(created.Str("metadata", "resourceVersion"), server.Get("", "configmaps", "default", "a")!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task StrategicMergePatch_CustomResource_Returns415()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));

        var reply = await client.PatchAsync(Paths.KvCluster("demo"), """{"spec":{"replicas":2}}""", ApiClient.Strategic);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.Status);
        Assert.Equal("UnsupportedMediaType", reply.Str("reason"));
        Assert.Equal("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml", reply.Str("message"));
    }

    [Fact]
    public async Task StrategicMergePatch_BuiltInContainers_MergeByName()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync(Paths.Deployments, """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"r"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"r"}},
             "template":{"spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}]}}}}
            """);

        var reply = await client.PatchAsync(Paths.Deployments + "/r", """{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"b:2"}]}}}}""", ApiClient.Strategic);

        var containers = reply.Object["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(2, containers.Count);
        Assert.Equal("b:2", containers[1]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task MergePatch_MissingObject_Returns404()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();

        var reply = await client.PatchAsync(Paths.ConfigMap("ghost"), "{}", ApiClient.Merge);

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
    }

    [Fact]
    public async Task MergePatch_StaleResourceVersionInPatch_Returns409()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));

        var reply = await client.PatchAsync(Paths.ConfigMap("a"), """{"metadata":{"resourceVersion":"1"},"data":{"k":"x"}}""", ApiClient.Merge);

        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
    }
}
