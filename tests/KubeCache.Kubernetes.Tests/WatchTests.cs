using KubeCache.Kubernetes.Models;
using KubeCache.Kubernetes.Tests.Support;

namespace KubeCache.Kubernetes.Tests;

public sealed class WatchTests
{
    private static KubernetesClient Client(ScriptedApiServer server) => new(new KubernetesConfig { Server = server.Uri });

    private static async Task<List<WatchEvent<ConfigMap>>> CollectAsync(KubernetesClient client, WatchOptions? options = null)
    {
        var events = new List<WatchEvent<ConfigMap>>();
        await foreach (WatchEvent<ConfigMap> e in client.WatchAsync(ApiResource.ConfigMaps, "ns1", KubernetesJsonContext.Default.ConfigMap, options))
        {
            events.Add(e);
        }
        return events;
    }

    [Fact]
    public async Task Watch_StreamOfLines_YieldsTypedEventsIncludingBookmark()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.WatchLines(ctx,
            Reply.Event("ADDED", Reply.ConfigMap("a", "11")),
            Reply.Event("MODIFIED", Reply.ConfigMap("a", "12")),
            "",
            Reply.Event("BOOKMARK", """{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"15"}}"""),
            Reply.Event("DELETED", Reply.ConfigMap("a", "16"))));
        using KubernetesClient client = Client(server);

        List<WatchEvent<ConfigMap>> events = await CollectAsync(client);

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Bookmark, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.Equal(["11", "12", "15", "16"], events.Select(e => e.Object.Metadata.ResourceVersion));
        Assert.Equal("a-12", events[1].Object.Data!["k"]);
    }

    [Fact]
    public async Task Watch_Options_BecomeQueryParameters()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.WatchLines(ctx));
        using KubernetesClient client = Client(server);

        await CollectAsync(client, new WatchOptions
        {
            ResourceVersion = "42",
            TimeoutSeconds = 300,
            LabelSelector = "app=x,tier!=db",
            FieldSelector = "metadata.name=demo-ring",
        });

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/api/v1/namespaces/ns1/configmaps", request.Path);
        Assert.Equal("1", request.QueryValue("watch"));
        Assert.Equal("42", request.QueryValue("resourceVersion"));
        Assert.Equal("true", request.QueryValue("allowWatchBookmarks"));
        Assert.Equal("300", request.QueryValue("timeoutSeconds"));
        Assert.Equal("app=x,tier!=db", request.QueryValue("labelSelector"));
        Assert.Equal("metadata.name=demo-ring", request.QueryValue("fieldSelector"));
    }

    [Theory]
    [InlineData("Expired", 410)]
    [InlineData("Gone", 410)]
    [InlineData("Expired", 0)]
    public async Task Watch_ErrorEventExpired_ThrowsExpiredAfterEarlierEvents(string reason, int code)
    {
        string status = Reply.StatusJson(code, reason, "too old resource version: 1 (322)");
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.WatchLines(ctx,
            Reply.Event("ADDED", Reply.ConfigMap("a", "11")),
            Reply.Event("ERROR", status)));
        using KubernetesClient client = Client(server);
        var seen = new List<WatchEvent<ConfigMap>>();

        var error = await Assert.ThrowsAsync<KubernetesExpiredException>(async () =>
        {
            await foreach (WatchEvent<ConfigMap> e in client.WatchAsync(ApiResource.ConfigMaps, "ns1", KubernetesJsonContext.Default.ConfigMap))
            {
                seen.Add(e);
            }
        });

        Assert.Single(seen);
        Assert.Equal(reason, error.Reason);
        Assert.Equal("too old resource version: 1 (322)", error.Status.Message);
    }

    [Fact]
    public async Task Watch_HttpStatus410_ThrowsExpired()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Status(ctx, 410, "Expired", "too old"));
        using KubernetesClient client = Client(server);

        await Assert.ThrowsAsync<KubernetesExpiredException>(() => CollectAsync(client, new WatchOptions { ResourceVersion = "1" }));
    }

    [Fact]
    public async Task Watch_OtherErrorEvent_ThrowsApiExceptionWithStatus()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.WatchLines(ctx,
            Reply.Event("ERROR", Reply.StatusJson(500, "InternalError", "etcd unavailable"))));
        using KubernetesClient client = Client(server);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => CollectAsync(client));

        Assert.IsNotType<KubernetesExpiredException>(error);
        Assert.Equal("InternalError", error.Reason);
        Assert.Equal(500, error.Status.Code);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"type":"ADDED"}""")]
    [InlineData("""{"type":"SURPRISE","object":{}}""")]
    public void ParseWatchEvent_MalformedLine_ThrowsInvalidData(string line) =>
        Assert.Throws<InvalidDataException>(() => KubernetesClient.ParseWatchEvent(line, KubernetesJsonContext.Default.ConfigMap));

    [Fact]
    public async Task Watch_SlowStream_DeliversEachEventBeforeStreamEnds()
    {
        var release = new TaskCompletionSource();
        await using var server = await ScriptedApiServer.StartAsync(async (ctx, _) =>
        {
            await Reply.WatchLines(ctx, Reply.Event("ADDED", Reply.ConfigMap("a", "1")));
            await release.Task.WaitAsync(ctx.RequestAborted);
            await Reply.WatchLine(ctx, Reply.Event("ADDED", Reply.ConfigMap("b", "2")));
        });
        using KubernetesClient client = Client(server);
        await using IAsyncEnumerator<WatchEvent<ConfigMap>> events = client.WatchAsync(ApiResource.ConfigMaps, "ns1", KubernetesJsonContext.Default.ConfigMap)
            .GetAsyncEnumerator();

        // The first event arrives while the server still holds the response open (headers-read streaming, no timeout).
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("a", events.Current.Object.Metadata.Name);
        release.SetResult();
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("b", events.Current.Object.Metadata.Name);
        Assert.False(await events.MoveNextAsync());
    }
}
