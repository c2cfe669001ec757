using System.Net;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

public sealed class WriteTests
{
    [Fact]
    public async Task Writes_AcrossKindsAndDeletes_ResourceVersionIsGlobalAndMonotonic()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var a = await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));
        var b = await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("b", 1));
        var c = await client.PatchAsync(Paths.ConfigMap("a"), """{"data":{"k":"2"}}""", ApiClient.Merge);
        var d = await client.DeleteAsync(Paths.KvCluster("b"), null);
        var list = await client.GetJsonAsync(Paths.ConfigMaps);

        long[] versions = [a.Long("metadata", "resourceVersion")!.Value, b.Long("metadata", "resourceVersion")!.Value,
            c.Long("metadata", "resourceVersion")!.Value, d.Long("metadata", "resourceVersion")!.Value];
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Length, versions.Distinct().Count());
        Assert.Equal(versions[^1], list.Long("metadata", "resourceVersion"));
        Assert.Equal(server.ResourceVersion, versions[^1]);
    }

    [Fact]
    public async Task Create_SetsUidTimestampAndGeneration()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var reply = await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.True(Guid.TryParse(reply.Str("metadata", "uid"), out _));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", reply.Str("metadata", "creationTimestamp"));
        Assert.Equal(1, reply.Long("metadata", "generation"));
    }

    [Fact]
    public async Task Create_ExistingName_Returns409AlreadyExists()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));

        var reply = await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));

        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
        Assert.Equal("Status", reply.Str("kind"));
        Assert.Equal("AlreadyExists", reply.Str("reason"));
        Assert.Equal("configmaps \"a\" already exists", reply.Str("message"));
        Assert.Equal(409, reply.Long("code"));
    }

    [Fact]
    public async Task Create_GenerateName_AppendsFiveCharacters()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();

        var reply = await client.PostAsync(Paths.ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"ring-"}}""");

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Matches("^ring-[a-z0-9]{5}$", reply.Str("metadata", "name"));
    }

    [Fact]
    public async Task Create_MissingNamespace_Returns404()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();

        var reply = await client.PostAsync("/api/v1/namespaces/nowhere/configmaps", Paths.ConfigMapJson("a"));

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("namespaces \"nowhere\" not found", reply.Str("message"));
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_Returns409Conflict()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        var created = await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));
        var stale = created.Object.DeepClone().AsObject();
        await client.PatchAsync(Paths.KvCluster("demo"), """{"spec":{"replicas":2}}""", ApiClient.Merge);

        stale["spec"]!["replicas"] = 7;
        var reply = await client.PutAsync(Paths.KvCluster("demo"), stale.ToJsonString());

        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
        Assert.Equal("Conflict", reply.Str("reason"));
        Assert.Equal("Operation cannot be fulfilled on kvclusters.kubecache.io \"demo\": the object has been modified; please apply your changes to the latest version and try again", reply.Str("message"));
    }

    [Fact]
    public async Task Replace_CustomResourceWithoutResourceVersion_Returns422()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));

        var reply = await client.PutAsync(Paths.KvCluster("demo"), Paths.KvClusterJson("demo", 2));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Equal("KvCluster.kubecache.io \"demo\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", reply.Str("message"));
    }

    [Fact]
    public async Task Replace_MissingCustomResource_Returns404()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var reply = await client.PutAsync(Paths.KvCluster("ghost"), Paths.KvClusterJson("ghost", 2));

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("kvclusters.kubecache.io \"ghost\" not found", reply.Str("message"));
    }

    [Fact]
    public async Task Replace_BuiltInWithoutResourceVersion_UpdatesUnconditionally()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));

        var reply = await client.PutAsync(Paths.ConfigMap("a"), Paths.ConfigMapJson("a", "new"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("new", server.Get("", "configmaps", "default", "a")!["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_NoChange_KeepsResourceVersion()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var created = await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));

        var reply = await client.PatchAsync(Paths.ConfigMap("a"), """{"data":{"k":"v"}}""", ApiClient.Merge);

        Assert.Equal(created.Str("metadata", "resourceVersion"), reply.Str("metadata", "resourceVersion"));
    }
}
