using System.Text.Json;
using System.Text.Json.Nodes;
using KubeCache.Kubernetes.Models;
using KubeCache.Kubernetes.Tests.Support;

namespace KubeCache.Kubernetes.Tests;

public sealed class ClientWriteTests
{
    private static KubernetesClient Client(ScriptedApiServer server) => new(new KubernetesConfig { Server = server.Uri, Namespace = "ns1" });

    private static Task Echo(Microsoft.AspNetCore.Http.HttpContext ctx, RecordedRequest req) =>
        Reply.Json(ctx, req.Body.Length > 0 && req.Method != "DELETE" ? req.Body : Reply.ConfigMap("ring", "9", "ns1"));

    [Fact]
    public async Task Apply_Object_PatchesWithApplyContentTypeFieldManagerAndForce()
    {
        await using var server = await ScriptedApiServer.StartAsync(Echo);
        using KubernetesClient client = Client(server);
        var map = new ConfigMap { Metadata = new ObjectMeta { Name = "ring" }, Data = new() { ["ring.json"] = "{}" } };

        ConfigMap applied = await client.ApplyAsync(ApiResource.ConfigMaps, map, KubernetesJsonContext.Default.ConfigMap, "kvcache-operator");

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("PATCH", request.Method);
        Assert.Equal("/api/v1/namespaces/ns1/configmaps/ring", request.Path);
        Assert.Equal("application/apply-patch+yaml", request.ContentType);
        Assert.Equal("kvcache-operator", request.QueryValue("fieldManager"));
        Assert.Equal("true", request.QueryValue("force"));
        using JsonDocument body = JsonDocument.Parse(request.Body);
        Assert.Equal("v1", body.RootElement.GetProperty("apiVersion").GetString());
        Assert.Equal("ConfigMap", body.RootElement.GetProperty("kind").GetString());
        // Nulls are left out, so the body claims only the fields this manager sets.
        Assert.False(body.RootElement.TryGetProperty("binaryData", out _));
        Assert.False(body.RootElement.GetProperty("metadata").TryGetProperty("uid", out _));
        Assert.Equal("{}", applied.Data!["ring.json"]);
    }

    [Fact]
    public async Task Apply_StatusWithoutForce_TargetsStatusSubresourceWithoutForceParameter()
    {
        await using var server = await ScriptedApiServer.StartAsync(Echo);
        using KubernetesClient client = Client(server);
        var lease = new Lease { Metadata = new ObjectMeta { Name = "l", Namespace = "other" }, Spec = new LeaseSpec { HolderIdentity = "me" } };

        await client.ApplyAsync(ApiResource.Leases, lease, KubernetesJsonContext.Default.Lease, "status-writer", force: false, subresource: "status");

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/apis/coordination.k8s.io/v1/namespaces/other/leases/l/status", request.Path);
        Assert.Null(request.QueryValue("force"));
        Assert.Contains("\"apiVersion\":\"coordination.k8s.io/v1\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ManagedFieldsPresent_ThrowsBeforeSending()
    {
        await using var server = await ScriptedApiServer.StartAsync(Echo);
        using KubernetesClient client = Client(server);
        var map = new ConfigMap { Metadata = new ObjectMeta { Name = "ring", ManagedFields = [] } };

        await Assert.ThrowsAsync<ArgumentException>(() => client.ApplyAsync(ApiResource.ConfigMaps, map, KubernetesJsonContext.Default.ConfigMap, "m"));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Apply_FieldManagerConflict_ThrowsConflictWithCauses()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Status(ctx, 409, "Conflict",
            "Apply failed with 1 conflict: conflict with \\\"foo\\\" using v1: .data.k",
            ""","details":{"causes":[{"type":"FieldManagerConflict","message":"conflict with \"foo\"","field":".data.k"}]}"""));
        using KubernetesClient client = Client(server);
        var map = new ConfigMap { Metadata = new ObjectMeta { Name = "ring" } };

        var error = await Assert.ThrowsAsync<KubernetesConflictException>(() =>
            client.ApplyAsync(ApiResource.ConfigMaps, map, KubernetesJsonContext.Default.ConfigMap, "m", force: false));

        StatusCause cause = Assert.Single(error.Status.Details!.Causes!);
        Assert.Equal("FieldManagerConflict", cause.Type);
        Assert.Equal(".data.k", cause.Field);
    }

    [Fact]
    public async Task MergePatch_Scale_SendsMergePatchToScaleAndReadsScale()
    {
        var kvClusters = new ApiResource("kubecache.io", "v1alpha1", "kvclusters", "KvCluster");
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Json(ctx,
            """{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"demo"},"spec":{"replicas":5},"status":{"replicas":3,"selector":"app=x"}}"""));
        using KubernetesClient client = Client(server);

        Scale scale = await client.MergePatchAsync(kvClusters, null, "demo", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 5 } },
            KubernetesJsonContext.Default.Scale, subresource: "scale");

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("PATCH", request.Method);
        Assert.Equal("/apis/kubecache.io/v1alpha1/namespaces/ns1/kvclusters/demo/scale", request.Path);
        Assert.Equal("application/merge-patch+json", request.ContentType);
        Assert.Equal("""{"spec":{"replicas":5}}""", request.Body);
        Assert.Equal(5, scale.Spec!.Replicas);
        Assert.Equal("app=x", scale.Status!.Selector);
    }

    [Fact]
    public async Task Create_ObjectWithoutNamespace_PostsToDefaultNamespaceWithTypeStamped()
    {
        await using var server = await ScriptedApiServer.StartAsync(Echo);
        using KubernetesClient client = Client(server);
        var ev = new Event { Metadata = new ObjectMeta { GenerateName = "demo-" }, Reason = "Scaled", Type = "Normal", EventTime = DateTimeOffset.UnixEpoch };

        await client.CreateAsync(ApiResource.Events, ev, KubernetesJsonContext.Default.Event);

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/apis/events.k8s.io/v1/namespaces/ns1/events"), (request.Method, request.Path));
        Assert.Contains("\"kind\":\"Event\"", request.Body, StringComparison.Ordinal);
        Assert.Contains("\"eventTime\":\"1970-01-01T00:00:00.000000Z\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_ThrowsConflict()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Status(ctx, 409, "Conflict",
            "Operation cannot be fulfilled on configmaps \\\"ring\\\": the object has been modified; please apply your changes to the latest version and try again"));
        using KubernetesClient client = Client(server);
        var map = new ConfigMap { Metadata = new ObjectMeta { Name = "ring", ResourceVersion = "3" } };

        var error = await Assert.ThrowsAsync<KubernetesConflictException>(() => client.ReplaceAsync(ApiResource.ConfigMaps, map, KubernetesJsonContext.Default.ConfigMap));

        Assert.Equal("Conflict", error.Reason);
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal(("PUT", "/api/v1/namespaces/ns1/configmaps/ring"), (request.Method, request.Path));
        Assert.Contains("\"resourceVersion\":\"3\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_AlreadyExists_ThrowsApiErrorThatIsNotAConflict()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Status(ctx, 409, "AlreadyExists", "configmaps \\\"ring\\\" already exists"));
        using KubernetesClient client = Client(server);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() =>
            client.CreateAsync(ApiResource.ConfigMaps, new ConfigMap { Metadata = new ObjectMeta { Name = "ring" } }, KubernetesJsonContext.Default.ConfigMap));

        Assert.True(error.IsAlreadyExists);
        Assert.IsNotType<KubernetesConflictException>(error);
    }

    [Fact]
    public async Task Replace_WithoutResourceVersion_ThrowsBeforeSending()
    {
        await using var server = await ScriptedApiServer.StartAsync(Echo);
        using KubernetesClient client = Client(server);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            client.ReplaceAsync(ApiResource.ConfigMaps, new ConfigMap { Metadata = new ObjectMeta { Name = "ring" } }, KubernetesJsonContext.Default.ConfigMap));
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    public async Task Delete_WithPreconditionsAndPropagation_SendsDeleteOptionsAndSucceeds(int status)
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Json(ctx, Reply.ConfigMap("ring", "9", "ns1"), status));
        using KubernetesClient client = Client(server);

        bool deleted = await client.DeleteAsync(ApiResource.ConfigMaps, null, "ring", new DeleteOptions
        {
            PropagationPolicy = "Foreground",
            Preconditions = new Preconditions { Uid = "u-1", ResourceVersion = "8" },
        });

        Assert.True(deleted);
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal(("DELETE", "/api/v1/namespaces/ns1/configmaps/ring"), (request.Method, request.Path));
        using JsonDocument body = JsonDocument.Parse(request.Body);
        Assert.Equal("DeleteOptions", body.RootElement.GetProperty("kind").GetString());
        Assert.Equal("Foreground", body.RootElement.GetProperty("propagationPolicy").GetString());
        Assert.Equal("u-1", body.RootElement.GetProperty("preconditions").GetProperty("uid").GetString());
        Assert.Equal("8", body.RootElement.GetProperty("preconditions").GetProperty("resourceVersion").GetString());
    }

    [Fact]
    public async Task Delete_NotFound_ToleratedOnlyWhenAsked()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Status(ctx, 404, "NotFound", "gone"));
        using KubernetesClient client = Client(server);

        Assert.False(await client.DeleteAsync(ApiResource.ConfigMaps, null, "ring", ignoreNotFound: true));
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.DeleteAsync(ApiResource.ConfigMaps, null, "ring"));
        Assert.True(error.IsNotFound);
    }

    [Fact]
    public async Task Delete_PreconditionFailed_ThrowsConflict()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Status(ctx, 409, "Conflict", "Precondition failed: UID in precondition: u-1, UID in object meta: u-2"));
        using KubernetesClient client = Client(server);

        await Assert.ThrowsAsync<KubernetesConflictException>(() =>
            client.DeleteAsync(ApiResource.ConfigMaps, null, "ring", new DeleteOptions { Preconditions = new Preconditions { Uid = "u-1" } }));
    }
}
