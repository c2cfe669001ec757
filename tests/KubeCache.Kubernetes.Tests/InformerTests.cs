using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using KubeCache.Kubernetes.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace KubeCache.Kubernetes.Tests;

/// <summary>Each test scripts a server by request number: the n-th list and the n-th watch get fixed answers.</summary>
public sealed class InformerTests
{
    private sealed class Harness : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task? _run;
        private int _lists;
        private int _watches;

        public required ScriptedApiServer Server { get; init; }

        public required IKubernetes Client { get; init; }

        public required Informer<V1ConfigMap> Informer { get; init; }

        public ConcurrentQueue<string> Events { get; } = new();

        public ConcurrentQueue<Exception> Errors { get; } = new();

        public IEnumerable<RecordedRequest> Lists => Server.Requests.Where(r => r.QueryValue("watch") is null);

        public IEnumerable<RecordedRequest> Watches => Server.Requests.Where(r => r.QueryValue("watch") == "true");

        public static async Task<Harness> StartAsync(Func<int, HttpContext, Task> list, Func<int, HttpContext, Task> watch, InformerOptions? options = null)
        {
            Harness? self = null;
            ScriptedApiServer server = await ScriptedApiServer.StartAsync((ctx, req) => req.QueryValue("watch") == "true"
                ? watch(Interlocked.Increment(ref self!._watches), ctx)
                : list(Interlocked.Increment(ref self!._lists), ctx));
            IKubernetes client = TestClients.For(server.Uri);
            var informer = new Informer<V1ConfigMap>(client, ApiResource.ConfigMaps,
                options ?? new InformerOptions { Namespace = "default", InitialBackoff = TimeSpan.FromMilliseconds(20) });
            self = new Harness { Server = server, Client = client, Informer = informer };
            informer.Changed += e => self.Events.Enqueue($"{e.Type} {e.Object.Metadata.Name}@{e.Object.Metadata.ResourceVersion}"
                + (e.OldObject is null ? "" : $" (was {e.OldObject.Metadata.ResourceVersion})"));
            informer.Error += self.Errors.Enqueue;
            self._run = informer.RunAsync(self._stop.Token);
            return self;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run!.WaitAsync(TimeSpan.FromSeconds(10));
            Client.Dispose();
            await Server.DisposeAsync();
            _stop.Dispose();
        }
    }

    /// <summary>Starts a watch stream, writes the lines, then keeps it open until the client goes away.</summary>
    private static async Task HoldOpen(HttpContext ctx, params string[] lines)
    {
        await Reply.WatchLines(ctx, lines);
        try
        {
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The informer stopped.
        }
    }

    private static string Map(string name, string rv) => Reply.ConfigMap(name, rv);

    [Fact]
    public async Task Run_WatchSaysExpired_RelistsAtLastResourceVersionAndReportsDifferences()
    {
        await using Harness h = await Harness.StartAsync(
            (n, ctx) => Reply.Json(ctx, n == 1 ? Reply.List("10", "", Map("a", "5"), Map("b", "6")) : Reply.List("20", "", Map("a", "11"), Map("c", "19"))),
            (n, ctx) => n == 1
                ? Reply.WatchLines(ctx, Reply.Event("MODIFIED", Map("a", "11")), Reply.Event("ERROR", Reply.StatusJson(410, "Expired", "too old resource version: 10 (15)")))
                : HoldOpen(ctx));

        await h.Informer.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => h.Events.Count == 5 && h.Watches.Count() == 2, "the relist's differences are reported and the watch resumes");

        // A relist reports additions and updates in list order, then what vanished.
        Assert.Equal(["Added a@5", "Added b@6", "Updated a@11 (was 5)", "Added c@19", "Deleted b@6"], h.Events);
        Assert.Equal(["0", "11"], h.Lists.Select(r => r.QueryValue("resourceVersion")));
        Assert.Equal("NotOlderThan", h.Lists.Last().QueryValue("resourceVersionMatch"));
        Assert.Equal(["10", "20"], h.Watches.Select(r => r.QueryValue("resourceVersion")));
        Assert.All(h.Watches, r => Assert.Equal("true", r.QueryValue("allowWatchBookmarks")));
        Assert.Equal("11", h.Informer.Get("default", "a")!.Metadata.ResourceVersion);
        Assert.Null(h.Informer.Get("default", "b"));
        Assert.Equal(["a", "c"], h.Informer.List().Select(m => m.Metadata.Name!).Order());
        Assert.Equal("20", h.Informer.LastSyncResourceVersion);
        Assert.True(ApiErrors.IsExpired(Assert.Single(h.Errors)));
    }

    [Fact]
    public async Task Run_RelistAtLastVersionAlsoExpired_FallsBackToQuorumList()
    {
        await using Harness h = await Harness.StartAsync(
            (n, ctx) => n switch
            {
                1 => Reply.Json(ctx, Reply.List("10", "", Map("a", "5"))),
                2 => Reply.Status(ctx, 410, "Expired", "too old resource version: 10 (40)"),
                _ => Reply.Json(ctx, Reply.List("30", "", Map("a", "25"))),
            },
            (n, ctx) => n == 1 ? Reply.WatchLines(ctx, Reply.Event("ERROR", Reply.StatusJson(410, "Gone", "gone"))) : HoldOpen(ctx));

        await Eventually.TrueAsync(() => h.Watches.Count() == 2, "the informer watches again after the quorum list");

        Assert.Equal(["0", "10", null], h.Lists.Select(r => r.QueryValue("resourceVersion")));
        Assert.Equal("500", h.Lists.Last().QueryValue("limit"));
        Assert.Equal(["Added a@5", "Updated a@25 (was 5)"], h.Events);
        Assert.Equal("30", h.Watches.Last().QueryValue("resourceVersion"));
    }

    [Fact]
    public async Task Run_ConnectionDropped_BacksOffRelistsAndReportsObjectsGoneMeanwhile()
    {
        Harness? started = null;
        await using Harness h = await Harness.StartAsync(
            (n, ctx) => Reply.Json(ctx, n == 1 ? Reply.List("10", "", Map("a", "5"), Map("b", "6")) : Reply.List("12", "", Map("a", "7"))),
            async (n, ctx) =>
            {
                if (n > 1)
                {
                    await HoldOpen(ctx);
                    return;
                }
                await Reply.WatchLines(ctx, Reply.Event("MODIFIED", Map("a", "7")));
                // A reset discards data the client has not read yet, so drop the connection only once the event is applied.
                await Eventually.TrueAsync(() => started?.Informer.LastSyncResourceVersion == "7", "the event is applied");
                ctx.Abort();
            });
        started = h;

        await Eventually.TrueAsync(() => h.Watches.Count() == 2, "the informer reconnects");

        Assert.Equal(["Added a@5", "Added b@6", "Updated a@7 (was 5)", "Deleted b@6"], h.Events);
        Assert.Equal(["0", "7"], h.Lists.Select(r => r.QueryValue("resourceVersion")));
        Assert.Equal("12", h.Watches.Last().QueryValue("resourceVersion"));
        Assert.NotEmpty(h.Errors);
    }

    [Fact]
    public async Task Run_BookmarkThenWatchEnds_RewatchesFromBookmarkWithoutRelisting()
    {
        await using Harness h = await Harness.StartAsync(
            (_, ctx) => Reply.Json(ctx, Reply.List("10", "", Map("a", "5"))),
            (n, ctx) => n == 1
                ? Reply.WatchLines(ctx, Reply.Event("BOOKMARK", """{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"15"}}"""))
                : HoldOpen(ctx));

        await Eventually.TrueAsync(() => h.Watches.Count() == 2, "the informer watches again");

        Assert.Single(h.Lists);
        Assert.Equal(["10", "15"], h.Watches.Select(r => r.QueryValue("resourceVersion")));
        Assert.Equal("15", h.Informer.LastSyncResourceVersion);
        Assert.Equal(["Added a@5"], h.Events);
        Assert.Empty(h.Errors);
        int timeout = int.Parse(h.Watches.First().QueryValue("timeoutSeconds")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(timeout, 300, 600);
    }

    [Fact]
    public async Task Run_ResyncPeriodAndFailingHandler_RedeliversCachedObjectsAndKeepsRunning()
    {
        await using Harness h = await Harness.StartAsync(
            (_, ctx) => Reply.Json(ctx, Reply.List("10", "", Map("a", "5"), Map("b", "6"))),
            (_, ctx) => HoldOpen(ctx),
            new InformerOptions { Namespace = "default", ResyncPeriod = TimeSpan.FromMilliseconds(30) });
        h.Informer.Changed += _ => throw new InvalidOperationException("handler bug");

        await Eventually.TrueAsync(() => h.Events.Count(e => e.StartsWith("Resync", StringComparison.Ordinal)) >= 4, "two resync rounds");

        Assert.Contains("Resync a@5", h.Events);
        Assert.Contains("Resync b@6", h.Events);
        Assert.Contains(h.Errors, e => e.Message == "handler bug");
        Assert.Single(h.Lists);
    }
}
