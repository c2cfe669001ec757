using System.Net;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

public sealed class DiscoveryTests
{
    [Fact]
    public async Task Apis_AfterCrdRegistration_ListsGroup()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var before = await client.GetJsonAsync("/apis");
        server.RegisterCrd(TestCrd.Yaml);

        var after = await client.GetJsonAsync("/apis");

        static bool HasGroup(Reply r) => r.Object["groups"]!.AsArray().Any(g => g!["name"]!.GetValue<string>() == "kubecache.io");
        Assert.False(HasGroup(before));
        Assert.True(HasGroup(after));
        Assert.Equal("APIGroupList", after.Str("kind"));
    }

    [Fact]
    public async Task ResourceList_CustomResource_ListsShortNamesStatusAndScale()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.RegisterCrd(TestCrd.Yaml);
        using var client = server.CreateClient();

        var reply = await client.GetJsonAsync("/apis/kubecache.io/v1alpha1");

        var resources = reply.Object["resources"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!);
        Assert.Equal("kubecache.io/v1alpha1", reply.Str("groupVersion"));
        Assert.Equal("""["kvc"]""", resources["kvclusters"]["shortNames"]!.ToJsonString());
        Assert.Equal("KvCluster", resources["kvclusters"]["kind"]!.GetValue<string>());
        Assert.Contains("watch", resources["kvclusters"]["verbs"]!.ToJsonString());
        Assert.Equal(("autoscaling", "v1", "Scale"), (resources["kvclusters/scale"]["group"]!.GetValue<string>(), resources["kvclusters/scale"]["version"]!.GetValue<string>(), resources["kvclusters/scale"]["kind"]!.GetValue<string>()));
        Assert.True(resources.ContainsKey("kvclusters/status"));
    }

    [Fact]
    public async Task CoreResourceList_ServesBuiltIns()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();

        var core = await client.GetJsonAsync("/api/v1");
        var version = await client.GetJsonAsync("/version");

        var names = core.Object["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "namespaces", "configmaps", "secrets", "pods", "pods/status", "services", "serviceaccounts", "events", "endpoints" }, names);
        Assert.Equal("1", version.Str("major"));
    }

    [Fact]
    public async Task OpenApiV3_CustomResource_ServesSchemaAndFieldValidationParameter()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.RegisterCrd(TestCrd.Yaml);
        using var client = server.CreateClient();

        var index = await client.GetJsonAsync("/openapi/v3");
        var url = index.Str("paths", "apis/kubecache.io/v1alpha1", "serverRelativeURL")!;
        var doc = await client.GetJsonAsync(url);

        var schema = doc.Object["components"]!["schemas"]!["io.kubecache.v1alpha1.KvCluster"]!;
        Assert.Equal("integer", schema["properties"]!["spec"]!["properties"]!["replicas"]!["type"]!.GetValue<string>());
        Assert.Equal("KvCluster", schema["x-kubernetes-group-version-kind"]![0]!["kind"]!.GetValue<string>());
        var patch = doc.Object["paths"]!["/apis/kubecache.io/v1alpha1/namespaces/{namespace}/kvclusters/{name}"]!["patch"]!;
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation");
    }

    [Fact]
    public async Task Get_TableAccept_ReturnsPrinterColumns()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.RegisterCrd(TestCrd.Yaml);
        using var client = server.CreateClient();
        await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 4));

        var reply = await client.SendAsync(HttpMethod.Get, Paths.KvClusters, null, null, "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

        Assert.Equal("Table", reply.Str("kind"));
        Assert.Equal(["Name", "Desired", "Ready", "Phase", "Age"], reply.Object["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var cells = reply.Object["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("demo", cells[0]!.GetValue<string>());
        Assert.Equal(4, cells[1]!.GetValue<long>());
        Assert.Null(cells[2]);
        Assert.Equal("PartialObjectMetadata", reply.Object["rows"]![0]!["object"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownPath_Returns404Status()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();

        var reply = await client.GetJsonAsync("/apis/nothing.io/v1/things");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("Status", reply.Str("kind"));
        Assert.Equal("the server could not find the requested resource", reply.Str("message"));
    }

    [Fact]
    public async Task Crd_OnCreate_ReportsEstablished()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var crd = await client.GetJsonAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/kvclusters.kubecache.io");

        Assert.Contains(crd.Object["status"]!["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "Established" && c["status"]!.GetValue<string>() == "True");
    }
}
