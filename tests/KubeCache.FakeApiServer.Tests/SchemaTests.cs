using System.Net;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

public sealed class SchemaTests
{
    [Fact]
    public async Task Create_MissingFields_GetSchemaDefaults()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var reply = await client.PostAsync(Paths.KvClusters, """{"apiVersion":"kubecache.io/v1alpha1","kind":"KvCluster","metadata":{"name":"demo"},"spec":{"router":{}}}""");

        Assert.Equal(3, reply.Long("spec", "replicas"));
        Assert.Equal(256, reply.Long("spec", "maxKeyBytes"));
        Assert.Equal("ClusterIP", reply.Str("spec", "router", "serviceType"));
    }

    [Fact]
    public async Task Create_BelowMinimum_Returns422WithApiserverWording()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var reply = await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", -1));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Equal("Invalid", reply.Str("reason"));
        Assert.Equal("KvCluster.kubecache.io \"demo\" is invalid: spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0", reply.Str("message"));
        Assert.Equal("spec.replicas", reply.Object["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_ValueOutsideEnumAndWrongType_ListsBothErrors()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var reply = await client.PostAsync(Paths.KvClusters, """{"apiVersion":"kubecache.io/v1alpha1","kind":"KvCluster","metadata":{"name":"demo"},"spec":{"replicas":"x","router":{"serviceType":"Bogus"}}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Equal("KvCluster.kubecache.io \"demo\" is invalid: [spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\", spec.router.serviceType: Unsupported value: \"Bogus\": supported values: \"ClusterIP\", \"NodePort\", \"LoadBalancer\"]", reply.Str("message"));
    }

    [Fact]
    public async Task StatusPatch_MissingRequiredField_Returns422()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "/status", """{"status":{"conditions":[{"type":"Ready"}]}}""", ApiClient.Merge);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Contains("status.conditions[0].status: Required value", reply.Str("message"));
    }

    [Fact]
    public async Task Create_UnknownField_IsPrunedButPreservedWhereSchemaSaysSo()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var reply = await client.PostAsync(Paths.KvClusters, """{"apiVersion":"kubecache.io/v1alpha1","kind":"KvCluster","metadata":{"name":"demo"},"spec":{"bogus":1,"extra":{"free":"form"}}}""");

        Assert.Null(reply.Object["spec"]!["bogus"]);
        Assert.Equal("form", reply.Str("spec", "extra", "free"));
    }

    [Fact]
    public async Task Create_UnknownFieldWithStrictValidation_Returns400()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var reply = await client.PostAsync(Paths.KvClusters + "?fieldValidation=Strict", """{"apiVersion":"kubecache.io/v1alpha1","kind":"KvCluster","metadata":{"name":"demo"},"spec":{"bogus":1}}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("strict decoding error: unknown field \"spec.bogus\"", reply.Str("message"));
    }

    [Fact]
    public async Task CreateCrd_NameNotPluralDotGroup_Returns422()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();

        var reply = await client.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
            """{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"wrong"},"spec":{"group":"a.io","scope":"Namespaced","names":{"plural":"things","kind":"Thing"},"versions":[{"name":"v1","served":true,"storage":true}]}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Null(server.Resources.Find("a.io", "v1", "things"));
    }

    [Fact]
    public async Task DeleteCrd_RemovesResourceAndItsObjects()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));

        await client.DeleteAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/kvclusters.kubecache.io", null);
        var reply = await client.GetJsonAsync(Paths.KvClusters);

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Empty(server.List(TestCrd.Group, TestCrd.Plural));
    }
}
