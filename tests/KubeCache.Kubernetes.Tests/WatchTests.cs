using System.Net;
using k8s;
using k8s.Models;
using KubeCache.Kubernetes.Tests.Support;

namespace KubeCache.Kubernetes.Tests;

/// <summary>
/// <see cref="KubernetesApi.WatchAsync"/> over KubernetesClient's watch: typed events with
/// bookmarks, the query it sends, and the ERROR event the library hands only to its error
/// callback, which must end the watch with that error rather than silently.
/// </summary>
public sealed class WatchTests
{
    private static readonly Selectors NoSelectors = new();

    private static async Task<List<(WatchEventType Type, V1ConfigMap Object)>> CollectAsync(IKubernetes client, Selectors? selectors = null,
        string? resourceVersion = null, int timeoutSeconds = 60)
    {
        var events = new List<(WatchEventType, V1ConfigMap)>();
        await foreach ((WatchEventType, V1ConfigMap) e in client.WatchAsync<V1ConfigMap>(ApiResource.ConfigMaps, "ns1", selectors ?? NoSelectors,
            resourceVersion, timeoutSeconds))
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
            Reply.Event("BOOKMARK", """{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"15"}}"""),
            Reply.Event("DELETED", Reply.ConfigMap("a", "16"))));
        using IKubernetes client = TestClients.For(server.Uri);

        var events = await CollectAsync(client);

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Bookmark, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.Equal(["11", "12", "15", "16"], events.Select(e => e.Object.Metadata.ResourceVersion));
        Assert.Equal("a-12", events[1].Object.Data["k"]);
    }

    [Fact]
    public async Task Watch_Options_BecomeQueryParameters()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.WatchLines(ctx));
        using IKubernetes client = TestClients.For(server.Uri);

        await CollectAsync(client, new Selectors("app=x,tier!=db", "metadata.name=demo-ring"), resourceVersion: "42", timeoutSeconds: 300);

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/api/v1/namespaces/ns1/configmaps", request.Path);
        Assert.Equal("true", request.QueryValue("watch"));
        Assert.Equal("42", request.QueryValue("resourceVersion"));
        Assert.Equal("true", request.QueryValue("allowWatchBookmarks"));
        Assert.Equal("300", request.QueryValue("timeoutSeconds"));
        Assert.Equal("app=x,tier!=db", request.QueryValue("labelSelector"));
        Assert.Equal("metadata.name=demo-ring", request.QueryValue("fieldSelector"));
    }

    // KubernetesClient passes an ERROR event only to the watch's error callback and keeps reading,
    // so without handling it the watch would just end as if the server had closed it normally.
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
        using IKubernetes client = TestClients.For(server.Uri);
        var seen = new List<V1ConfigMap>();

        var error = await Assert.ThrowsAsync<KubernetesException>(async () =>
        {
            await foreach ((WatchEventType _, V1ConfigMap map) in client.WatchAsync<V1ConfigMap>(ApiResource.ConfigMaps, "ns1", NoSelectors, "1", 60))
            {
                seen.Add(map);
            }
        });

        Assert.Single(seen);
        Assert.True(ApiErrors.IsExpired(error));
        Assert.Equal("too old resource version: 1 (322)", error.Status.Message);
    }

    [Fact]
    public async Task Watch_HttpStatus410_ThrowsExpired()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.Status(ctx, 410, "Expired", "too old"));
        using IKubernetes client = TestClients.For(server.Uri);

        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => CollectAsync(client, resourceVersion: "1"));

        Assert.True(ApiErrors.IsExpired(error), error.ToString());
    }

    [Fact]
    public async Task Watch_OtherErrorEvent_ThrowsWithStatusThatIsNotExpired()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.WatchLines(ctx,
            Reply.Event("ERROR", Reply.StatusJson(500, "InternalError", "etcd unavailable"))));
        using IKubernetes client = TestClients.For(server.Uri);

        var error = await Assert.ThrowsAsync<KubernetesException>(() => CollectAsync(client));

        Assert.False(ApiErrors.IsExpired(error));
        Assert.Equal(HttpStatusCode.InternalServerError, ApiErrors.StatusCodeOf(error));
        Assert.Equal("InternalError", error.Status.Reason);
    }

    [Fact]
    public async Task Watch_MalformedLine_ThrowsInsteadOfEndingQuietly()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.WatchLines(ctx,
            "not json",
            Reply.Event("ADDED", Reply.ConfigMap("a", "11"))));
        using IKubernetes client = TestClients.For(server.Uri);

        await Assert.ThrowsAnyAsync<Exception>(() => CollectAsync(client));
    }

    // KubernetesClient alone fails a watch whose stream ends before its first line.
    [Fact]
    public async Task Watch_ServerEndsWithoutEvents_EndsNormally()
    {
        await using var server = await ScriptedApiServer.StartAsync((ctx, _) => Reply.WatchLines(ctx));
        using IKubernetes client = TestClients.For(server.Uri);

        Assert.Empty(await CollectAsync(client));
    }

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
        using IKubernetes client = TestClients.For(server.Uri);
        await using IAsyncEnumerator<(WatchEventType Type, V1ConfigMap Object)> events = client
            .WatchAsync<V1ConfigMap>(ApiResource.ConfigMaps, "ns1", NoSelectors, null, 60).GetAsyncEnumerator();

        // The first event arrives while the server still holds the response open.
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("a", events.Current.Object.Metadata.Name);
        release.SetResult();
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("b", events.Current.Object.Metadata.Name);
        Assert.False(await events.MoveNextAsync());
    }
}
