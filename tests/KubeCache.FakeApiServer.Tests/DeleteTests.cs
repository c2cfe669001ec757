using System.Net;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

public sealed class DeleteTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Delete_UidPreconditionMismatch_Returns409()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));

        var reply = await client.DeleteAsync(Paths.ConfigMap("a"), """{"apiVersion":"v1","kind":"DeleteOptions","preconditions":{"uid":"nope"}}""");

        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
        Assert.Contains("Precondition failed: UID in precondition: nope", reply.Str("message"));
        Assert.NotNull(server.Get("", "configmaps", "default", "a"));
    }

    [Fact]
    public async Task Delete_StaleResourceVersionPrecondition_Returns409()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var created = await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));
        await client.PatchAsync(Paths.ConfigMap("a"), """{"data":{"k":"2"}}""", ApiClient.Merge);

        var reply = await client.DeleteAsync(Paths.ConfigMap("a"), $$$"""{"preconditions":{"resourceVersion":"{{{created.Str("metadata", "resourceVersion")}}}"}}""");

        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
    }

    [Fact]
    public async Task Delete_WithFinalizer_SetsDeletionTimestampUntilFinalizerRemoved()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PostAsync(Paths.KvClusters, """{"apiVersion":"kubecache.io/v1alpha1","kind":"KvCluster","metadata":{"name":"demo","finalizers":["kubecache.io/cleanup"]},"spec":{"replicas":1}}""");

        var deleting = await client.DeleteAsync(Paths.KvCluster("demo"), null);
        var addFinalizer = await client.PatchAsync(Paths.KvCluster("demo"), """{"metadata":{"finalizers":["kubecache.io/cleanup","other/x"]}}""", ApiClient.Merge);
        var removed = await client.PatchAsync(Paths.KvCluster("demo"), """{"metadata":{"finalizers":null}}""", ApiClient.Merge);

        Assert.Equal(HttpStatusCode.Accepted, deleting.Status);
        Assert.NotNull(deleting.Str("metadata", "deletionTimestamp"));
        Assert.Equal(2, deleting.Long("metadata", "generation"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, addFinalizer.Status);
        Assert.Equal(HttpStatusCode.OK, removed.Status);
        Assert.Null(server.Get(TestCrd.Group, TestCrd.Plural, "default", "demo"));
    }

    [Fact]
    public async Task Delete_Owner_GarbageCollectsDependents()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        var owner = await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));
        await client.PostAsync(Paths.ConfigMaps, OwnedConfigMap("demo-ring", owner.Str("metadata", "uid")!));

        await client.DeleteAsync(Paths.KvCluster("demo"), null);

        await server.WaitUntilAsync(() => server.Get("", "configmaps", "default", "demo-ring") is null ? "" : null, Deadline);
    }

    [Fact]
    public async Task Delete_OrphanPropagation_KeepsDependentsWithoutOwnerReference()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        var owner = await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));
        await client.PostAsync(Paths.ConfigMaps, OwnedConfigMap("demo-ring", owner.Str("metadata", "uid")!));

        await client.DeleteAsync(Paths.KvCluster("demo"), """{"propagationPolicy":"Orphan"}""");

        await server.WaitUntilAsync(() => server.Get(TestCrd.Group, TestCrd.Plural, "default", "demo") is null ? "" : null, Deadline);
        var ring = server.Get("", "configmaps", "default", "demo-ring");
        Assert.NotNull(ring);
        Assert.Null(ring["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public async Task Delete_ForegroundPropagation_DeletesDependentsBeforeOwner()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        var owner = await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));
        await client.PostAsync(Paths.ConfigMaps, OwnedConfigMap("demo-ring", owner.Str("metadata", "uid")!));

        var reply = await client.DeleteAsync(Paths.KvCluster("demo"), """{"propagationPolicy":"Foreground"}""");

        Assert.Contains("foregroundDeletion", reply.Object["metadata"]!["finalizers"]!.ToJsonString());
        await server.WaitUntilAsync(() => server.Get(TestCrd.Group, TestCrd.Plural, "default", "demo") is null ? "" : null, Deadline);
        Assert.Null(server.Get("", "configmaps", "default", "demo-ring"));
    }

    [Fact]
    public async Task Delete_Namespace_RemovesItsContentsThenItself()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync("/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"gone"}}""");
        await client.PostAsync("/api/v1/namespaces/gone/configmaps", Paths.ConfigMapJson("a"));

        var reply = await client.DeleteAsync("/api/v1/namespaces/gone", null);

        Assert.Equal("Terminating", reply.Str("status", "phase"));
        await server.WaitUntilAsync(() => server.Get("", "namespaces", null, "gone") is null ? "" : null, Deadline);
        Assert.Empty(server.List("", "configmaps", "gone"));
    }

    [Fact]
    public async Task Delete_Missing_Returns404()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();

        var reply = await client.DeleteAsync(Paths.ConfigMap("ghost"), null);

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("NotFound", reply.Str("reason"));
    }

    [Fact]
    public async Task DeleteCollection_LabelSelector_DeletesMatchesOnly()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a", labels: """{"app":"x"}"""));
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("b"));

        await client.DeleteAsync(Paths.ConfigMaps + "?labelSelector=app%3Dx", null);

        Assert.Equal(["b"], server.List("", "configmaps", "default").Select(o => o["metadata"]!["name"]!.GetValue<string>()));
    }

    private static string OwnedConfigMap(string name, string ownerUid) => new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = TestCrd.ApiVersion,
                ["kind"] = "KvCluster",
                ["name"] = "demo",
                ["uid"] = ownerUid,
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            }),
        },
    }.ToJsonString();
}
