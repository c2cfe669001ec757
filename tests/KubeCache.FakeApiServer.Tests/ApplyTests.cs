using System.Net;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

public sealed class ApplyTests
{
    private static string Spec(string fields) =>
        $$$"""{"apiVersion":"kubecache.io/v1alpha1","kind":"KvCluster","metadata":{"name":"demo"},"spec":{{{{fields}}}}}""";

    [Fact]
    public async Task Apply_Missing_CreatesWithManagedFields()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=op", Spec("\"replicas\":2"), ApiClient.Apply);

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        var entry = reply.Object["metadata"]!["managedFields"]![0]!;
        Assert.Equal("op", entry["manager"]!.GetValue<string>());
        Assert.Equal("Apply", entry["operation"]!.GetValue<string>());
        Assert.Equal("FieldsV1", entry["fieldsType"]!.GetValue<string>());
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", entry["fieldsV1"]!.ToJsonString());
    }

    [Fact]
    public async Task Apply_YamlBody_IsAccepted()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=op", TestCrd.KvCluster("demo", 3), ApiClient.Apply);

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Equal(3, reply.Long("spec", "replicas"));
    }

    [Fact]
    public async Task Apply_WithoutFieldManager_Returns422()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var reply = await client.PatchAsync(Paths.KvCluster("demo"), Spec("\"replicas\":2"), ApiClient.Apply);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Contains("fieldManager: Required value: is required for apply patch", reply.Str("message"));
    }

    [Fact]
    public async Task Apply_OtherManagerOwnsDifferentValue_Returns409WithCauses()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=foo", Spec("\"replicas\":2"), ApiClient.Apply);

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=bar", Spec("\"replicas\":5"), ApiClient.Apply);

        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
        Assert.Equal("Conflict", reply.Str("reason"));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"foo\": .spec.replicas", reply.Str("message"));
        var cause = reply.Object["details"]!["causes"]![0]!;
        Assert.Equal("FieldManagerConflict", cause["reason"]!.GetValue<string>());
        Assert.Equal(".spec.replicas", cause["field"]!.GetValue<string>());
        Assert.Equal(2, server.Get(TestCrd.Group, TestCrd.Plural, "default", "demo")!["spec"]!["replicas"]!.GetValue<long>());
    }

    [Fact]
    public async Task Apply_ConflictWithUpdateManager_NamesOperationTime()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=op", Spec("\"replicas\":2"), ApiClient.Apply);
        await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=editor", """{"spec":{"replicas":3}}""", ApiClient.Merge);

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=op", Spec("\"replicas\":4"), ApiClient.Apply);

        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
        Assert.Matches(@"^Apply failed with 1 conflict: conflict with ""editor"" using kubecache.io/v1alpha1 at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: \.spec\.replicas$", reply.Str("message"));
    }

    [Fact]
    public async Task Apply_Force_TakesOwnership()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=foo", Spec("\"replicas\":2,\"image\":\"x\""), ApiClient.Apply);

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=bar&force=true", Spec("\"replicas\":5"), ApiClient.Apply);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(5, reply.Long("spec", "replicas"));
        var managers = reply.Object["metadata"]!["managedFields"]!.AsArray().ToDictionary(e => e!["manager"]!.GetValue<string>(), e => e!["fieldsV1"]!.ToJsonString());
        Assert.Equal("""{"f:spec":{"f:image":{}}}""", managers["foo"]);
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", managers["bar"]);
    }

    [Fact]
    public async Task Apply_SameValueFromTwoManagers_SharesOwnershipWithoutConflict()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=foo", Spec("\"replicas\":2"), ApiClient.Apply);

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=bar", Spec("\"replicas\":2"), ApiClient.Apply);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(2, reply.Object["metadata"]!["managedFields"]!.AsArray().Count);
    }

    [Fact]
    public async Task Apply_FieldOmittedLater_IsRemoved()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=op", Spec("\"replicas\":2,\"image\":\"x\""), ApiClient.Apply);

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=op", Spec("\"replicas\":2"), ApiClient.Apply);

        Assert.Null(reply.Object["spec"]!["image"]);
        Assert.Equal(2, reply.Long("metadata", "generation"));
    }

    [Fact]
    public async Task Apply_FieldOmittedButOwnedByOther_IsKept()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=op", Spec("\"replicas\":2,\"image\":\"x\""), ApiClient.Apply);
        await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=other", Spec("\"image\":\"x\""), ApiClient.Apply);

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=op", Spec("\"replicas\":2"), ApiClient.Apply);

        Assert.Equal("x", reply.Str("spec", "image"));
    }

    [Fact]
    public async Task Apply_AtomicList_IsReplacedWhole()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=op", Spec("\"tags\":[\"a\",\"b\"]"), ApiClient.Apply);

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=op", Spec("\"tags\":[\"c\"]"), ApiClient.Apply);

        Assert.Equal("""["c"]""", reply.Object["spec"]!["tags"]!.ToJsonString());
    }

    [Fact]
    public async Task ApplyStatus_MapListConditions_MergeByTypeAcrossManagers()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));
        const string Ready = """{"apiVersion":"kubecache.io/v1alpha1","kind":"KvCluster","metadata":{"name":"demo"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""";
        const string Degraded = """{"apiVersion":"kubecache.io/v1alpha1","kind":"KvCluster","metadata":{"name":"demo"},"status":{"conditions":[{"type":"Degraded","status":"False"}]}}""";
        await client.PatchAsync(Paths.KvCluster("demo") + "/status?fieldManager=a", Ready, ApiClient.Apply);

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "/status?fieldManager=b", Degraded, ApiClient.Apply);

        var types = reply.Object["status"]!["conditions"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["Ready", "Degraded"], types);
        var b = reply.Object["metadata"]!["managedFields"]!.AsArray().Single(e => e!["manager"]!.GetValue<string>() == "b")!;
        Assert.Equal("status", b["subresource"]!.GetValue<string>());
        Assert.NotNull(b["fieldsV1"]!["f:status"]!["f:conditions"]!["k:{\"type\":\"Degraded\"}"]);
    }

    [Fact]
    public async Task ApplyStatus_ConditionOmittedLater_IsRemoved()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        await client.PostAsync(Paths.KvClusters, Paths.KvClusterJson("demo", 1));
        await client.PatchAsync(Paths.KvCluster("demo") + "/status?fieldManager=a",
            """{"apiVersion":"kubecache.io/v1alpha1","kind":"KvCluster","metadata":{"name":"demo"},"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"Degraded","status":"False"}]}}""", ApiClient.Apply);

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "/status?fieldManager=a",
            """{"apiVersion":"kubecache.io/v1alpha1","kind":"KvCluster","metadata":{"name":"demo"},"status":{"conditions":[{"type":"Ready","status":"False"}]}}""", ApiClient.Apply);

        var conditions = reply.Object["status"]!["conditions"]!.AsArray();
        Assert.Single(conditions);
        Assert.Equal("False", conditions[0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_MainResourceWithStatus_IgnoresStatus()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();

        var reply = await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=op",
            """{"apiVersion":"kubecache.io/v1alpha1","kind":"KvCluster","metadata":{"name":"demo"},"spec":{"replicas":1},"status":{"phase":"Ready"}}""", ApiClient.Apply);

        Assert.Null(reply.Object["status"]);
        Assert.DoesNotContain("f:status", reply.Object["metadata"]!["managedFields"]!.ToJsonString());
    }

    [Fact]
    public async Task Apply_Unchanged_KeepsResourceVersion()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateCrdAsync();
        var first = await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=op", Spec("\"replicas\":2"), ApiClient.Apply);

        var second = await client.PatchAsync(Paths.KvCluster("demo") + "?fieldManager=op", Spec("\"replicas\":2"), ApiClient.Apply);

        Assert.Equal(first.Str("metadata", "resourceVersion"), second.Str("metadata", "resourceVersion"));
    }

    [Fact]
    public async Task Apply_BuiltInLabels_MergeAcrossManagers()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PatchAsync(Paths.ConfigMap("a") + "?fieldManager=x", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","labels":{"x":"1"}}}""", ApiClient.Apply);

        var reply = await client.PatchAsync(Paths.ConfigMap("a") + "?fieldManager=y", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","labels":{"y":"2"}},"data":{"k":"v"}}""", ApiClient.Apply);

        Assert.Equal("""{"x":"1","y":"2"}""", reply.Object["metadata"]!["labels"]!.ToJsonString());
        Assert.IsType<JsonObject>(reply.Object["data"]);
    }

    private const string Services = "/api/v1/namespaces/default/services";
    private const string StatefulSets = "/apis/apps/v1/namespaces/default/statefulsets";

    private static string Service(string ports) =>
        $$$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"ports":[{{{ports}}}]}}""";

    private static string StatefulSet(string container, string podFields = "") =>
        """{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":["""
        + container + "]" + podFields + "}}}}";

    // Service ports are a map list keyed by port and protocol: two managers' ports merge.
    [Fact]
    public async Task Apply_ServicePortsFromTwoManagers_MergeByPortAndProtocol()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PatchAsync(Services + "/web?fieldManager=a", Service("""{"name":"http","port":80,"protocol":"TCP"}"""), ApiClient.Apply);

        var reply = await client.PatchAsync(Services + "/web?fieldManager=b",
            Service("""{"name":"dns","port":53,"protocol":"UDP"},{"name":"dns-tcp","port":53,"protocol":"TCP"}"""), ApiClient.Apply);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(["http", "dns", "dns-tcp"], reply.Object["spec"]!["ports"]!.AsArray().Select(p => (string?)p!["name"]));
    }

    // Container ports are keyed by containerPort and protocol, env and volumeMounts by name and
    // mountPath, containers by name: a second manager adds to one container without replacing it.
    [Fact]
    public async Task Apply_ContainerListsFromTwoManagers_MergeByTheirKeys()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PatchAsync(StatefulSets + "/db?fieldManager=a", StatefulSet(
            """{"name":"db","image":"db:1","ports":[{"containerPort":5432,"protocol":"TCP"}],"env":[{"name":"A","value":"1"}],"volumeMounts":[{"name":"data","mountPath":"/data"}]}"""),
            ApiClient.Apply);

        var reply = await client.PatchAsync(StatefulSets + "/db?fieldManager=b", StatefulSet(
            """{"name":"db","ports":[{"containerPort":9187,"protocol":"TCP"}],"env":[{"name":"B","value":"2"}],"volumeMounts":[{"name":"tmp","mountPath":"/tmp"}]}""",
            ""","topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule"}]"""),
            ApiClient.Apply);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        JsonNode container = Assert.Single(reply.Object["spec"]!["template"]!["spec"]!["containers"]!.AsArray())!;
        Assert.Equal("db:1", (string?)container["image"]);
        Assert.Equal([5432, 9187], container["ports"]!.AsArray().Select(p => (int)p!["containerPort"]!));
        Assert.Equal(["A", "B"], container["env"]!.AsArray().Select(e => (string?)e!["name"]));
        Assert.Equal(["/data", "/tmp"], container["volumeMounts"]!.AsArray().Select(m => (string?)m!["mountPath"]));
    }

    // Tolerations are an atomic list in the real schema: the last applier's list replaces it whole.
    [Fact]
    public async Task Apply_Tolerations_AreAtomic()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PatchAsync(StatefulSets + "/db?fieldManager=a", StatefulSet("""{"name":"db"}""", ""","tolerations":[{"key":"a","operator":"Exists"}]"""),
            ApiClient.Apply);

        var reply = await client.PatchAsync(StatefulSets + "/db?fieldManager=b&force=true",
            StatefulSet("""{"name":"db"}""", ""","tolerations":[{"key":"b","operator":"Exists"}]"""), ApiClient.Apply);

        Assert.Equal(["b"], reply.Object["spec"]!["template"]!["spec"]!["tolerations"]!.AsArray().Select(t => (string?)t!["key"]));
    }
}
