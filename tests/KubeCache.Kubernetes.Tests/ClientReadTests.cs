using KubeCache.Kubernetes.Models;
using KubeCache.Kubernetes.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace KubeCache.Kubernetes.Tests;

public sealed class ClientReadTests
{
    private static KubernetesClient Client(ScriptedApiServer server) => new(new KubernetesConfig { Server = server.Uri, Namespace = "ns1" });

    [Fact]
    public async Task Get_NamespacedObject_ReadsTypedModelFromItsPath()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Json(ctx, """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"demo-0","namespace":"ns1","uid":"u1","resourceVersion":"7","labels":{"app":"x"}},
             "spec":{"nodeName":"node-a","containers":[{"name":"c"}]},
             "status":{"phase":"Running","podIP":"10.1.2.3","conditions":[{"type":"Ready","status":"True"}]}}
            """));
        using KubernetesClient client = Client(server);

        Pod pod = await client.GetAsync(ApiResource.Pods, null, "demo-0", KubernetesJsonContext.Default.Pod);

        Assert.Equal("/api/v1/namespaces/ns1/pods/demo-0", Assert.Single(server.Requests).Path);
        Assert.Equal("node-a", pod.Spec!.NodeName);
        Assert.Equal("10.1.2.3", pod.Status!.PodIP);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal("True", Assert.Single(pod.Status.Conditions!).Status);
        Assert.Equal("x", pod.Metadata.Labels!["app"]);
    }

    [Fact]
    public async Task Get_GroupedClusterScopedResource_UsesApisPathWithoutNamespace()
    {
        var nodes = new ApiResource("example.io", "v2", "widgets", "Widget", Namespaced: false);
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Json(ctx, """{"metadata":{"name":"w"}}"""));
        using KubernetesClient client = Client(server);

        await client.GetAsync(nodes, "ignored", "w", KubernetesJsonContext.Default.ConfigMap);

        Assert.Equal("/apis/example.io/v2/widgets/w", Assert.Single(server.Requests).Path);
    }

    [Fact]
    public async Task Get_NotFound_ThrowsWithServersStatus()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) =>
            Reply.Status(ctx, 404, "NotFound", "configmaps \\\"x\\\" not found", ""","details":{"name":"x","kind":"configmaps"}"""));
        using KubernetesClient client = Client(server);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetAsync(ApiResource.ConfigMaps, null, "x", KubernetesJsonContext.Default.ConfigMap));

        Assert.True(error.IsNotFound);
        Assert.Equal("NotFound", error.Reason);
        Assert.Equal("configmaps \"x\" not found", error.Status.Message);
        Assert.Equal("x", error.Status.Details!.Name);
        Assert.Null(await client.TryGetAsync(ApiResource.ConfigMaps, null, "x", KubernetesJsonContext.Default.ConfigMap));
    }

    [Fact]
    public async Task Get_ErrorBodyIsNotStatus_ThrowsWithStatusBuiltFromHttp()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) =>
        {
            ctx.Response.StatusCode = 503;
            return ctx.Response.WriteAsync("upstream connect error");
        });
        using KubernetesClient client = Client(server);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetAsync(ApiResource.ConfigMaps, null, "x", KubernetesJsonContext.Default.ConfigMap));

        Assert.Equal(503, error.Status.Code);
        Assert.Equal("upstream connect error", error.Status.Message);
        Assert.Equal("Failure", error.Status.Outcome);
    }

    [Fact]
    public async Task List_ThreePages_CollectsAllItemsWithFirstPagesResourceVersion()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, req) => Reply.Json(ctx, req.QueryValue("continue") switch
        {
            null => Reply.List("100", "t1", Reply.ConfigMap("a", "90"), Reply.ConfigMap("b", "91")),
            "t1" => Reply.List("100", "t2", Reply.ConfigMap("c", "92"), Reply.ConfigMap("d", "93")),
            _ => Reply.List("100", "", Reply.ConfigMap("e", "94")),
        }));
        using KubernetesClient client = Client(server);

        KubernetesList<ConfigMap> list = await client.ListAsync(ApiResource.ConfigMaps, "ns1", KubernetesJsonContext.Default.ConfigMap,
            new ListOptions { PageSize = 2, LabelSelector = "app=x", ResourceVersion = "0" });

        Assert.Equal(["a", "b", "c", "d", "e"], list.Items.Select(m => m.Metadata.Name));
        Assert.Equal("100", list.Metadata.ResourceVersion);
        RecordedRequest[] requests = [.. server.Requests];
        Assert.Equal(3, requests.Length);
        Assert.All(requests, r => Assert.Equal("/api/v1/namespaces/ns1/configmaps", r.Path));
        Assert.All(requests, r => Assert.Equal("2", r.QueryValue("limit")));
        Assert.All(requests, r => Assert.Equal("app=x", r.QueryValue("labelSelector")));
        Assert.Equal([null, "t1", "t2"], requests.Select(r => r.QueryValue("continue")));
        // The continue token carries the snapshot; resourceVersion goes only with the first page.
        Assert.Equal(["0", null, null], requests.Select(r => r.QueryValue("resourceVersion")));
    }

    [Fact]
    public async Task List_ContinueTokenExpired_RestartsFromFirstPage()
    {
        int firstPages = 0;
        await using var server = await ScriptedApiServer.StartAsync((ctx, req) =>
        {
            if (req.QueryValue("continue") is null)
            {
                int n = Interlocked.Increment(ref firstPages);
                return Reply.Json(ctx, Reply.List($"{n}00", $"t{n}", Reply.ConfigMap("a", $"{n}0")));
            }
            return req.QueryValue("continue") == "t1"
                ? Reply.Status(ctx, 410, "Expired", "The provided continue parameter is too old")
                : Reply.Json(ctx, Reply.List("200", "", Reply.ConfigMap("b", "21")));
        });
        using KubernetesClient client = Client(server);

        KubernetesList<ConfigMap> list = await client.ListAsync(ApiResource.ConfigMaps, null, KubernetesJsonContext.Default.ConfigMap);

        Assert.Equal(["a", "b"], list.Items.Select(m => m.Metadata.Name));
        Assert.Equal("20", list.Items[0].Metadata.ResourceVersion);
        Assert.Equal("200", list.Metadata.ResourceVersion);
        Assert.Equal(2, firstPages);
        Assert.All(server.Requests, r => Assert.Equal("/api/v1/configmaps", r.Path));
    }

    [Fact]
    public async Task List_FirstPageExpired_ThrowsExpired()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Status(ctx, 410, "Expired", "too old resource version: 5 (90)"));
        using KubernetesClient client = Client(server);

        var error = await Assert.ThrowsAsync<KubernetesExpiredException>(() =>
            client.ListAsync(ApiResource.ConfigMaps, null, KubernetesJsonContext.Default.ConfigMap, new ListOptions { ResourceVersion = "5" }));

        Assert.Equal(410, error.Status.Code);
        Assert.Single(server.Requests);
    }
}
