using System.Net;
using KubeCache.FakeApiServer.Tests.Support;
using KubeCache.FakeApiServer.Watch;

namespace KubeCache.FakeApiServer.Tests;

public sealed class WatchTests
{
    [Fact]
    public async Task Watch_NoResourceVersion_SendsSyntheticAddedThenLiveEvents()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));

        await using var watch = await WatchStream.OpenAsync(client, Paths.ConfigMaps + "?watch=1");
        var added = await watch.NextAsync();
        await client.PatchAsync(Paths.ConfigMap("a"), """{"data":{"k":"2"}}""", ApiClient.Merge);
        var modified = await watch.NextAsync();
        await client.DeleteAsync(Paths.ConfigMap("a"), null);
        var deleted = await watch.NextAsync();

        Assert.Equal(HttpStatusCode.OK, watch.Status);
        Assert.Equal(("ADDED", "a"), (added.Type(), added.ObjectName()));
        Assert.Equal("MODIFIED", modified.Type());
        Assert.Equal("DELETED", deleted.Type());
        Assert.Equal(server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), deleted["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_FromResourceVersion_ReplaysOnlyLaterEvents()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var first = await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("b"));
        await client.PatchAsync(Paths.ConfigMap("a"), """{"data":{"k":"2"}}""", ApiClient.Merge);

        await using var watch = await WatchStream.OpenAsync(client, $"{Paths.ConfigMaps}?watch=1&resourceVersion={first.Str("metadata", "resourceVersion")}");

        var e1 = await watch.NextAsync();
        var e2 = await watch.NextAsync();
        Assert.Equal(("ADDED", "b"), (e1.Type(), e1.ObjectName()));
        Assert.Equal(("MODIFIED", "a"), (e2.Type(), e2.ObjectName()));
    }

    [Fact]
    public async Task Watch_CompactedResourceVersion_GetsErrorEvent410()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var first = await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("b"));
        server.CompactHistory();

        await using var watch = await WatchStream.OpenAsync(client, $"{Paths.ConfigMaps}?watch=1&resourceVersion={first.Str("metadata", "resourceVersion")}");
        var e = await watch.NextAsync();

        Assert.Equal(HttpStatusCode.OK, watch.Status);
        Assert.Equal("ERROR", e.Type());
        Assert.Equal(410, e["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", e["object"]!["reason"]!.GetValue<string>());
        Assert.StartsWith("too old resource version: ", e["object"]!["message"]!.GetValue<string>());
        Assert.True(await watch.EndedAsync());
    }

    [Fact]
    public async Task Watch_CompactedResourceVersionInHttpStatusMode_Returns410()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.ExpiredWatchMode = ExpiredWatchMode.HttpStatus;
        using var client = server.CreateClient();
        var first = await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("b"));
        server.CompactHistory();

        var reply = await client.GetJsonAsync($"{Paths.ConfigMaps}?watch=1&resourceVersion={first.Str("metadata", "resourceVersion")}");

        Assert.Equal(HttpStatusCode.Gone, reply.Status);
        Assert.Equal("Expired", reply.Str("reason"));
    }

    [Fact]
    public async Task Watch_BeyondHistoryWindow_Expires()
    {
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { HistoryCapacity = 3 });
        using var client = server.CreateClient();
        var first = await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));
        var recent = first;
        for (var i = 0; i < 5; i++)
        {
            recent = await client.PatchAsync(Paths.ConfigMap("a"), $$$"""{"data":{"k":"{{{i}}}"}}""", ApiClient.Merge);
        }
        server.ExpiredWatchMode = ExpiredWatchMode.HttpStatus;

        var old = await client.GetJsonAsync($"{Paths.ConfigMaps}?watch=1&timeoutSeconds=1&resourceVersion={first.Str("metadata", "resourceVersion")}");
        await using var fresh = await WatchStream.OpenAsync(client, $"{Paths.ConfigMaps}?watch=1&resourceVersion={long.Parse(recent.Str("metadata", "resourceVersion")!, System.Globalization.CultureInfo.InvariantCulture) - 1}");

        Assert.Equal(HttpStatusCode.Gone, old.Status);
        Assert.Equal("MODIFIED", (await fresh.NextAsync()).Type());
    }

    [Fact]
    public async Task Watch_WithBookmarks_SendsPeriodicBookmarkAtCurrentRevision()
    {
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        using var client = server.CreateClient();
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));

        await using var watch = await WatchStream.OpenAsync(client, $"{Paths.ConfigMaps}?watch=1&allowWatchBookmarks=true&resourceVersion={server.ResourceVersion}");
        var e = await watch.NextAsync();

        Assert.Equal("BOOKMARK", e.Type());
        Assert.Equal("ConfigMap", e["object"]!["kind"]!.GetValue<string>());
        Assert.Equal(server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), e["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_Timeout_EndsWithBookmark()
    {
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromHours(1) });
        using var client = server.CreateClient();

        await using var watch = await WatchStream.OpenAsync(client, $"{Paths.ConfigMaps}?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion={server.ResourceVersion}");

        Assert.Equal("BOOKMARK", (await watch.NextAsync()).Type());
        Assert.True(await watch.EndedAsync());
    }

    [Fact]
    public async Task Watch_SendInitialEvents_EndsInitialBurstWithAnnotatedBookmark()
    {
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromHours(1) });
        using var client = server.CreateClient();
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));

        await using var watch = await WatchStream.OpenAsync(client, $"{Paths.ConfigMaps}?watch=1&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan");

        Assert.Equal("ADDED", (await watch.NextAsync()).Type());
        var bookmark = await watch.NextAsync();
        Assert.Equal("BOOKMARK", bookmark.Type());
        Assert.Equal("true", bookmark["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_LabelSelector_ObjectLeavingSelectorIsDeleted()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a", labels: """{"app":"x"}"""));
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("b", labels: """{"app":"y"}"""));

        await using var watch = await WatchStream.OpenAsync(client, $"{Paths.ConfigMaps}?watch=1&labelSelector=app%3Dx");
        var initial = await watch.NextAsync();
        await client.PatchAsync(Paths.ConfigMap("a"), """{"metadata":{"labels":{"app":"z"}}}""", ApiClient.Merge);
        var left = await watch.NextAsync();
        await client.PatchAsync(Paths.ConfigMap("b"), """{"metadata":{"labels":{"app":"x"}}}""", ApiClient.Merge);
        var entered = await watch.NextAsync();

        Assert.Equal(("ADDED", "a"), (initial.Type(), initial.ObjectName()));
        Assert.Equal(("DELETED", "a"), (left.Type(), left.ObjectName()));
        Assert.Equal(("ADDED", "b"), (entered.Type(), entered.ObjectName()));
    }

    [Fact]
    public async Task Watch_FieldSelectorName_SeesOnlyThatObject()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();

        await using var watch = await WatchStream.OpenAsync(client, $"{Paths.ConfigMaps}?watch=1&fieldSelector=metadata.name%3Db&resourceVersion={server.ResourceVersion}");
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("b"));

        var e = await watch.NextAsync();
        Assert.Equal(("ADDED", "b"), (e.Type(), e.ObjectName()));
    }

    [Fact]
    public async Task DropWatches_OpenWatch_StreamEnds()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await using var watch = await WatchStream.OpenAsync(client, $"{Paths.ConfigMaps}?watch=1&resourceVersion={server.ResourceVersion}");
        await server.WaitUntilAsync(() => server.OpenWatches == 1 ? "" : null, TimeSpan.FromSeconds(10));

        var dropped = server.DropWatches();

        Assert.Equal(1, dropped);
        Assert.True(await watch.EndedAsync());
    }

    [Fact]
    public async Task Watch_AllNamespaces_SeesEveryNamespace()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync("/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"other"}}""");

        await using var watch = await WatchStream.OpenAsync(client, $"/api/v1/configmaps?watch=1&resourceVersion={server.ResourceVersion}");
        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a"));
        await client.PostAsync("/api/v1/namespaces/other/configmaps", Paths.ConfigMapJson("b"));

        Assert.Equal("default", (await watch.NextAsync())!["object"]!["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal("other", (await watch.NextAsync())!["object"]!["metadata"]!["namespace"]!.GetValue<string>());
    }
}
