using System.Net;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

public sealed class ListTests
{
    private static async Task<FakeApiServer> SeededAsync()
    {
        var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a", labels: """{"app":"x","tier":"1"}"""));
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("b", labels: """{"app":"y"}"""));
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("c", labels: """{"app":"z","tier":"2"}"""));
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("d"));
        return server;
    }

    [Theory]
    [InlineData("app=x", "a")]
    [InlineData("app==x", "a")]
    [InlineData("app!=x", "b,c,d")]
    [InlineData("app in (x,z)", "a,c")]
    [InlineData("app notin (x,z)", "b,d")]
    [InlineData("tier", "a,c")]
    [InlineData("!tier", "b,d")]
    [InlineData("app in (x,y,z),!tier", "b")]
    public async Task List_LabelSelector_FiltersItems(string selector, string expected)
    {
        await using var server = await SeededAsync();
        using var client = server.CreateClient();

        var reply = await client.GetJsonAsync($"{Paths.ConfigMaps}?labelSelector={Uri.EscapeDataString(selector)}");

        Assert.Equal(expected, string.Join(",", reply.Object["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>())));
    }

    [Fact]
    public async Task List_FieldSelectorName_FiltersItems()
    {
        await using var server = await SeededAsync();
        using var client = server.CreateClient();

        var reply = await client.GetJsonAsync($"{Paths.ConfigMaps}?fieldSelector=metadata.name%3Dc");

        Assert.Equal("c", reply.Object["items"]!.AsArray().Single()!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("ConfigMapList", reply.Str("kind"));
    }

    [Fact]
    public async Task List_CustomResourceUnknownFieldSelector_Returns400()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var reply = await client.GetJsonAsync($"{Paths.KvClusters}?fieldSelector=spec.replicas%3D1");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("\"spec.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"", reply.Str("message"));
    }

    [Fact]
    public async Task List_LimitAndContinue_PagesAreConsistentSnapshot()
    {
        await using var server = await SeededAsync();
        using var client = server.CreateClient();

        var page1 = await client.GetJsonAsync($"{Paths.ConfigMaps}?limit=2");
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("e"));
        await client.DeleteAsync(Paths.ConfigMap("c"), null);
        var page2 = await client.GetJsonAsync($"{Paths.ConfigMaps}?limit=2&continue={Uri.EscapeDataString(page1.Str("metadata", "continue")!)}");

        Assert.Equal(2, page1.Long("metadata", "remainingItemCount"));
        Assert.Equal("c,d", string.Join(",", page2.Object["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>())));
        Assert.Equal(page1.Str("metadata", "resourceVersion"), page2.Str("metadata", "resourceVersion"));
        Assert.Null(page2.Str("metadata", "continue"));
    }

    [Fact]
    public async Task List_ExpiredContinueToken_Returns410()
    {
        await using var server = await SeededAsync();
        using var client = server.CreateClient();
        var page1 = await client.GetJsonAsync($"{Paths.ConfigMaps}?limit=1");
        server.ExpireContinueTokens();

        var reply = await client.GetJsonAsync($"{Paths.ConfigMaps}?limit=1&continue={Uri.EscapeDataString(page1.Str("metadata", "continue")!)}");

        Assert.Equal(HttpStatusCode.Gone, reply.Status);
        Assert.Equal("Expired", reply.Str("reason"));
    }

    [Fact]
    public async Task List_AllNamespaces_ReturnsEveryNamespaceWithCurrentRevision()
    {
        await using var server = await SeededAsync();
        using var client = server.CreateClient();
        await client.PostAsync("/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"other"}}""");
        await client.PostAsync("/api/v1/namespaces/other/configmaps", Paths.ConfigMapJson("z"));

        var reply = await client.GetJsonAsync("/api/v1/configmaps");

        Assert.Equal(5, reply.Object["items"]!.AsArray().Count);
        Assert.Equal(server.ResourceVersion, reply.Long("metadata", "resourceVersion"));
    }

    [Fact]
    public async Task List_BuiltInItems_OmitKindWhileCustomItemsKeepIt()
    {
        await using var server = await SeededAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));

        var builtIn = await client.GetJsonAsync(Paths.ConfigMaps);
        var custom = await client.GetJsonAsync(Paths.KvClusters);

        Assert.Null(builtIn.Object["items"]![0]!["kind"]);
        Assert.Equal("KvCluster", custom.Object["items"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal("KvClusterList", custom.Str("kind"));
    }
}
